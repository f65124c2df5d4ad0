-- wrk: POST /v1/orders with the JSON body from BENCH_BODY.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
