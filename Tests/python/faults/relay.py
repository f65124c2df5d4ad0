"""A TCP relay that delays every byte by a fixed time in each direction: the "slow link" of the
fault tests on kernels without sch_netem (`tc qdisc ... netem delay` then fails). It runs on the
bridge host, between Orders and Payments; packet loss on the same path comes from nftables
(`Network.drop_share`), so TCP really retransmits.

    python3 relay.py LISTEN_HOST:PORT TARGET_HOST:PORT DELAY_FILE

DELAY_FILE holds the delay in seconds; the relay reads it again every 0.1 s, so a test turns
the slowness on and off while connections stay open. Order is kept (one FIFO per direction); a closed side closes the other after the delay.
"""
import asyncio
import sys
import pathlib
import time

DELAY = [0.0]


async def follow(path: pathlib.Path):
    while True:
        try:
            DELAY[0] = float(path.read_text().strip() or 0)
        except (OSError, ValueError):
            pass
        await asyncio.sleep(0.1)


async def pipe(reader, writer):
    queue: asyncio.Queue = asyncio.Queue(maxsize=1024)

    async def read():
        try:
            while chunk := await reader.read(65536):
                await queue.put((time.monotonic() + DELAY[0], chunk))
        except (ConnectionError, OSError):
            pass
        await queue.put((time.monotonic() + DELAY[0], b""))

    async def write():
        try:
            while True:
                due, chunk = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not chunk:
                    break
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    await asyncio.gather(read(), write())


async def main(listen, target, delay_file):
    listen_host, listen_port = listen.rsplit(":", 1)
    target_host, target_port = target.rsplit(":", 1)

    async def accept(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.wait_for(
                asyncio.open_connection(target_host, int(target_port)), timeout=10)
        except (OSError, asyncio.TimeoutError):
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    asyncio.get_running_loop().create_task(follow(pathlib.Path(delay_file)))
    server = await asyncio.start_server(accept, listen_host, int(listen_port))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
