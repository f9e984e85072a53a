#!/usr/bin/env python3
"""A fake PostgreSQL server that refuses SSL, for tests/cli/postgres_tls.sh.

It answers an SSLRequest (and a GSSENCRequest) with 'N'. A client that then sends its startup
message in clear is asked for a cleartext password, and what it sends is written to the log:
the log shows whether a client would have sent the password in clear to a server that refused
SSL. Usage: fake_postgres.py ADDRESS PORT LOG (prints "ready" once listening).
"""
import socket
import struct
import sys

SSL_REQUEST, GSS_REQUEST = 80877103, 80877104


def receive(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def serve(conn, log):
    while True:
        head = receive(conn, 8)
        if head is None:
            log.write("closed after the refusal\n")
            return
        length, code = struct.unpack("!ii", head)
        if length == 8 and code in (SSL_REQUEST, GSS_REQUEST):
            log.write("ssl request, refused\n" if code == SSL_REQUEST else "gss request, refused\n")
            conn.sendall(b"N")
            continue
        receive(conn, length - 8)
        log.write("startup in clear\n")
        conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
        kind = receive(conn, 1)
        if kind == b"p":
            size = struct.unpack("!i", receive(conn, 4))[0]
            log.write("password in clear: %s\n" % receive(conn, size - 4)[:-1].decode())
        return


def main():
    address, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((address, port))
    server.listen(8)
    print("ready", flush=True)
    while True:
        conn, _ = server.accept()
        with conn, open(path, "a") as log:
            try:
                serve(conn, log)
            except (OSError, struct.error) as error:
                log.write("connection error: %s\n" % error)


main()
