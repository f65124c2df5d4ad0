// Benchmark peer: Debian's C++ gRPC (1.51) serving only the default grpc.health.v1.Health service.
//
// Usage: health_server PORT
//
// Configuration, so the comparison is fair when the process is pinned to one core:
// - Only the built-in health service (EnableDefaultHealthCheckService), which in 1.51 is a
//   callback service; it runs on gRPC's internal executor threads, all confined to the pinned core.
// - An empty CallbackGenericService is registered only because 1.51 refuses to build a server
//   whose sole service is the default health service without any registered service.
// - Sync-server options pinned to 1 completion queue and 1 poller (they matter only for sync
//   services; set so no extra polling threads are spawned).
// - Plaintext (insecure) credentials, loopback only.
#include <grpcpp/grpcpp.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/health_check_service_interface.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  const std::string address = std::string("127.0.0.1:") + argv[1];

  grpc::EnableDefaultHealthCheckService(true);
  grpc::CallbackGenericService generic;  // answers nothing; see the header comment

  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials());
  builder.RegisterCallbackGenericService(&generic);
  builder.SetSyncServerOption(grpc::ServerBuilder::NUM_CQS, 1);
  builder.SetSyncServerOption(grpc::ServerBuilder::MIN_POLLERS, 1);
  builder.SetSyncServerOption(grpc::ServerBuilder::MAX_POLLERS, 1);

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    std::fprintf(stderr, "health_server: could not start on %s\n", address.c_str());
    return 1;
  }
  std::printf("listening on %s\n", address.c_str());
  std::fflush(stdout);
  server->Wait();  // the harness ends the process with SIGTERM
  return 0;
}
