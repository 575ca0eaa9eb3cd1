"""Runs the peer with uvicorn and TCP_NODELAY on every accepted socket: uvicorn 0.17 with --workers > 1 does not
set it (uvicorn issue #3149), and every keep-alive response would then wait ~40 ms for a delayed ACK.
Usage: /usr/bin/python3 serve.py PORT WORKERS"""
import socket
import sys

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11(H11Protocol):
    def connection_made(self, transport):
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run("app:app", host="127.0.0.1", port=port, workers=workers, http=NoDelayH11, log_level="warning", access_log=False)
