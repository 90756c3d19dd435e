#!/usr/bin/env python3
"""netcheck.py - host side of the net tests: talks to tests/net/progs/server.c
through a loopback port forward and checks what comes back.

usage: netcheck.py CHECK PORT [ARG]
  hello       GET / twice on one keep-alive connection, then once more
  concurrent  N connections open at once (ARG, default 64), each echoing
              its own 32 KiB
  download    BIG ARG bytes; CRC-32 against the server's pattern
  upload      SUM ARG random bytes; the server's CRC-32 must match ours
  midclose    8 downloads of 16 MiB dropped after 64 KiB (half by reset,
              half by close), then a hello must still work
  guestclose  the guest closes (DROP) while we send 4 MiB; we must see
              EOF or a reset, never a hang; then a hello must still work
  flowctl     PAUSE a connection and send ARG bytes: the sender must stall
              well short of ARG (the guest acknowledges only what the
              program reads); RESUME, finish, and the CRC-32 must match
  rawecho     ARG connections at once each send 256 KiB to a plain echo
              server (examples/tcp_echo.c) and must get it back
  udpping     a datagram to a UDP echo server (examples/udp_echo.c) must
              come back; then "quit" ends that server
  httpd       (ARG = seconds) an HTTP server on 127.0.0.1:PORT answering
              "Hello from the host\n" (for examples/http_client.c)
  udpecho     (ARG = seconds) a UDP echo server on 127.0.0.1:PORT
  quit        tell the server to exit
Exit status 0 on success; a failure prints why.  Every socket has a timeout,
so nothing waits forever.
"""
import os
import socket
import struct
import sys
import threading
import zlib

TIMEOUT = 60
HELLO_BODY = b"Hello, world\n"


def conn(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(1 << 20, n - len(buf)))
        if not chunk:
            raise RuntimeError(f"EOF after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def read_http(s, rest=b""):
    buf = rest
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("EOF inside HTTP headers")
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"bad status line {head[:40]!r}")
    while len(body) < length:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("EOF inside HTTP body")
        body += chunk
    return body[:length], body[length:]


def check_hello(port):
    s = conn(port)
    rest = b""
    for _ in range(2):
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        body, rest = read_http(s, rest)
        if body != HELLO_BODY:
            raise RuntimeError(f"body {body!r}")
    s.close()
    s = conn(port)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    body, _ = read_http(s)
    s.close()
    if body != HELLO_BODY:
        raise RuntimeError(f"body {body!r}")


def check_concurrent(port, n):
    socks = [conn(port) for _ in range(n)]
    payloads = [os.urandom(32 * 1024) for _ in range(n)]
    errors = []

    def one(i):
        try:
            s = socks[i]
            s.sendall(b"ECHO\n")
            got = bytearray()
            sent = 0
            p = payloads[i]
            # interleave sending and receiving: the server echoes as it reads
            while len(got) < len(p):
                if sent < len(p):
                    s.sendall(p[sent:sent + 4096])
                    sent += 4096
                s.settimeout(0.05 if sent < len(p) else TIMEOUT)
                try:
                    chunk = s.recv(65536)
                    if not chunk:
                        raise RuntimeError(f"EOF after {len(got)} bytes")
                    got += chunk
                except socket.timeout:
                    if sent >= len(p):
                        raise
            if bytes(got) != p:
                raise RuntimeError("echo differs")
            s.close()
        except Exception as e:  # report, do not hang the others
            errors.append(f"conn {i}: {e!r}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("; ".join(errors[:5]))


def pattern_crc(n):
    base = bytes(((i * 131) & 0xFF) for i in range(512))
    crc = 0
    k = 0
    while n > 0:
        x = k & 0xFF
        block = bytes(b ^ x for b in base) if x else base
        take = min(512, n)
        crc = zlib.crc32(block[:take], crc)
        n -= take
        k += 1
    return crc


def check_download(port, n):
    s = conn(port)
    s.sendall(b"BIG %d\n" % n)
    crc = 0
    got = 0
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        crc = zlib.crc32(chunk, crc)
        got += len(chunk)
    s.close()
    if got != n:
        raise RuntimeError(f"got {got} of {n} bytes")
    want = pattern_crc(n)
    if crc != want:
        raise RuntimeError(f"crc {crc:08x}, want {want:08x}")


def check_upload(port, n):
    data = os.urandom(n)
    s = conn(port)
    s.sendall(b"SUM %d\n" % n)
    s.sendall(data)
    line = b""
    while not line.endswith(b"\n"):
        chunk = s.recv(64)
        if not chunk:
            break
        line += chunk
    s.close()
    want = b"%08x\n" % zlib.crc32(data)
    if line != want:
        raise RuntimeError(f"server crc {line!r}, want {want!r}")


def check_midclose(port):
    for i in range(8):
        s = conn(port)
        s.sendall(b"BIG %d\n" % (16 << 20))
        recv_exact(s, 64 * 1024)
        if i % 2 == 0:  # abortive close: RST
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        s.close()
    check_hello(port)


def check_guestclose(port):
    s = conn(port)
    s.sendall(b"DROP\n")
    chunk = os.urandom(64 * 1024)
    outcome = None
    try:
        for _ in range(64):
            s.sendall(chunk)
        s.settimeout(TIMEOUT)
        outcome = "eof" if s.recv(4096) == b"" else "data"
    except (ConnectionResetError, BrokenPipeError):
        outcome = "reset"
    s.close()
    if outcome == "data":
        raise RuntimeError("the closed connection sent data")
    check_hello(port)


def check_flowctl(port, n):
    data = os.urandom(n)
    s = conn(port)
    s.sendall(b"PAUSE %d\n" % n)
    # Send until a send makes no progress for STALL seconds.  Waiting is
    # not the assertion: with no flow control the guest would take all n
    # bytes (or run out of memory); with it, at most its window plus the
    # buffers of QEMU and the host kernel get through.
    stall = 3.0
    s.settimeout(stall)
    sent = 0
    try:
        while sent < n:
            sent += s.send(data[sent:sent + 65536])
    except socket.timeout:
        pass
    if sent >= n:
        raise RuntimeError(f"all {n} bytes accepted by a program that reads nothing")
    r = conn(port)
    r.sendall(b"RESUME\n")
    r.close()
    s.settimeout(TIMEOUT)
    s.sendall(data[sent:])
    line = b""
    while not line.endswith(b"\n"):
        chunk = s.recv(64)
        if not chunk:
            break
        line += chunk
    s.close()
    want = b"%08x\n" % zlib.crc32(data)
    if line != want:
        raise RuntimeError(f"stalled at {sent}; server crc {line!r}, want {want!r}")


def check_rawecho(port, n):
    errors = []

    def one(i):
        try:
            s = conn(port)
            data = os.urandom(256 * 1024)
            sender = threading.Thread(target=s.sendall, args=(data,))
            sender.start()
            got = recv_exact(s, len(data))
            sender.join()
            s.close()
            if got != data:
                raise RuntimeError("echo differs")
        except Exception as e:
            errors.append(f"conn {i}: {e!r}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("; ".join(errors[:5]))


def check_udpping(port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2.0)
    msg = b"mewz udp ping " + os.urandom(8).hex().encode()
    for _ in range(30):  # the first may meet an empty ARP cache: resend
        u.sendto(msg, ("127.0.0.1", port))
        try:
            data, _ = u.recvfrom(65536)
        except socket.timeout:
            continue
        if data != msg:
            raise RuntimeError(f"echo {data!r}")
        u.sendto(b"quit", ("127.0.0.1", port))
        return
    raise RuntimeError("no echo")


def httpd(port, seconds):
    import http.server

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = b"Hello from the host\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", port), H)
    srv.timeout = 1.0
    end = __import__("time").monotonic() + float(seconds)
    while __import__("time").monotonic() < end:
        srv.handle_request()


def udp_echo(port, seconds):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", port))
    u.settimeout(float(seconds))
    try:
        while True:
            data, peer = u.recvfrom(65536)
            u.sendto(data, peer)
    except socket.timeout:
        pass


def quit_server(port):
    s = conn(port)
    s.sendall(b"QUIT\n")
    s.close()


def main():
    check, port = sys.argv[1], int(sys.argv[2])
    arg = sys.argv[3] if len(sys.argv) > 3 else None
    try:
        if check == "hello":
            check_hello(port)
        elif check == "concurrent":
            check_concurrent(port, int(arg or 64))
        elif check == "download":
            check_download(port, int(arg))
        elif check == "upload":
            check_upload(port, int(arg))
        elif check == "midclose":
            check_midclose(port)
        elif check == "guestclose":
            check_guestclose(port)
        elif check == "flowctl":
            check_flowctl(port, int(arg))
        elif check == "rawecho":
            check_rawecho(port, int(arg or 8))
        elif check == "udpping":
            check_udpping(port)
        elif check == "httpd":
            httpd(port, arg or 60)
        elif check == "udpecho":
            udp_echo(port, arg or 30)
        elif check == "quit":
            quit_server(port)
        else:
            print(f"unknown check {check}", file=sys.stderr)
            return 2
    except Exception as e:
        print(f"{check}: {e!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
