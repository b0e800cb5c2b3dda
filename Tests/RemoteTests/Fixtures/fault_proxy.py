#!/usr/bin/env python3
"""fault_proxy.py - a tiny fault-injecting TCP proxy for the genrm remote tests.

Dependency-free (Python 3.11 stdlib, asyncio). The Swift tests start it as a real
process in front of a real HTTP server to exercise retries and failover.

Usage:
    python3 fault_proxy.py --target HOST:PORT [--listen-port 0] [--control-port 0]
                           [--fault SPEC]... [--parent-pid PID] [--verbose]

Once both listeners are up it prints exactly one line to stdout and flushes it:
    LISTENING <proxy_port> <control_port>
Both listen on 127.0.0.1; port 0 means "pick a free one". Nothing else is ever
written to stdout; --verbose logs one line per connection to stderr.

Faults are counted PER ACCEPTED CONNECTION. Specs are applied in the order given,
each to the next COUNT connections; once all are used up, connections pass through.
A connection with no fault is a transparent byte pipe to the target in both
directions (half-closes are forwarded), so keep-alive requests on it all pass.
    refuse:COUNT          accept, then close at once with RST (SO_LINGER 1,0); reads nothing.
                          Racy by nature: the client sees either a failed connect or
                          "connection reset by peer", always before any response byte.
    reset_mid_body:COUNT  forward the request to the target, relay the response's status
                          line + headers + at most 16 body bytes, then RST the client and
                          drop the target connection. (A body of <= 16 bytes arrives whole;
                          real chat-completion responses are always longer.)
    stall:COUNT           accept, read and discard whatever arrives, never answer; stays
                          open until the client closes (or the proxy exits).
    status:CODE:COUNT     read one request (head + Content-Length/chunked body), answer
                          `HTTP/1.1 CODE <reason>` with an OpenAI-style JSON error body and
                          `Connection: close`, then close (FIN). The target is not contacted.
    drop:COUNT            read one request, then close gracefully (FIN) without answering.

Control server (plain HTTP on 127.0.0.1:<control_port>):
    GET  /stats              {"connections": N, "faulted": M, "passed": K,
                              "pending_faults": ["status:503:1", ...], "mode": null}
    POST /faults             body = newline-separated SPECs; replaces the remaining schedule
                             (and clears any stall_all/refuse_all mode). -> {"ok": true}
                             Open passthrough connections are closed, so a keep-alive client
                             meets the new schedule on its next request.
    POST /mode/passthrough   clear the schedule and the mode.
    POST /mode/stall_all     every following connection stalls, until changed.
    POST /mode/refuse_all    every following connection is refused (RST), until changed.

Exits cleanly (status 0) on SIGTERM/SIGINT. With --parent-pid PID it also exits
when PID no longer exists (checked every second), so crashed runs leave no orphan.
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import struct
import sys
from http import HTTPStatus

KINDS = {"refuse", "reset_mid_body", "stall", "status", "drop"}
IO_ERRORS = (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError)


def parse_spec(text):
    """'status:503:2' -> ['status', 503, 2]; 'refuse:1' -> ['refuse', None, 1]."""
    parts = text.strip().split(":")
    try:
        if parts[0] == "status" and len(parts) == 3:
            code, count = int(parts[1]), int(parts[2])
            if not 100 <= code <= 999:
                raise ValueError
            return ["status", code, count]
        if parts[0] in KINDS and parts[0] != "status" and len(parts) == 2:
            return [parts[0], None, int(parts[1])]
    except ValueError:
        pass
    raise ValueError(f"bad fault spec {text!r}")


def spec_str(s):
    return ":".join(str(x) for x in s if x is not None)


def rst(writer):
    """Abort a connection so that the peer sees a TCP RST instead of a FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


async def read_request(reader, writer):
    """Read one HTTP request (head + body). Returns (request_line, headers, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    body = b""
    if headers.get("expect", "").lower() == "100-continue":  # e.g. curl, bodies > 1 KiB
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                    pass
                break
            body += (await reader.readexactly(size + 2))[:-2]
    elif int(headers.get("content-length", "0") or 0) > 0:
        body = await reader.readexactly(int(headers["content-length"]))
    return lines[0], headers, body


def http_response(code, obj):
    body = json.dumps(obj).encode()
    try:
        reason = HTTPStatus(code).phrase
    except ValueError:
        reason = "Injected"
    head = (f"HTTP/1.1 {code} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body


class Proxy:
    def __init__(self, target, specs, verbose):
        self.target = target
        self.schedule = [list(s) for s in specs]
        self.mode = None  # None, "stall" or "refuse"
        self.stats = {"connections": 0, "faulted": 0, "passed": 0}
        self.open = set()  # writers of live connections, aborted on shutdown
        self.piped = set()  # client writers of passthrough connections, closed on a schedule change
        self.verbose = verbose

    def next_fault(self):
        if self.mode:
            return self.mode, None
        while self.schedule and self.schedule[0][2] <= 0:
            self.schedule.pop(0)
        if not self.schedule:
            return None
        spec = self.schedule[0]
        spec[2] -= 1
        return spec[0], spec[1]

    async def handle(self, reader, writer):
        self.stats["connections"] += 1
        fault = self.next_fault()
        self.stats["faulted" if fault else "passed"] += 1
        if self.verbose:
            print(f"fault_proxy: conn #{self.stats['connections']}: "
                  f"{spec_str(fault) if fault else 'pass'}",
                  file=sys.stderr, flush=True)
        self.open.add(writer)
        try:
            if fault is None:
                await self.passthrough(reader, writer)
            else:
                await getattr(self, "fault_" + fault[0])(reader, writer, fault[1])
        except IO_ERRORS:
            rst(writer)
        finally:
            self.open.discard(writer)
            writer.close()

    async def connect_target(self):
        return await asyncio.open_connection(*self.target)

    @staticmethod
    async def pipe(src, dst, other):
        """Copy src -> dst until EOF, then half-close dst. On errors, reset both ends."""
        try:
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
            if dst.can_write_eof():
                dst.write_eof()
        except IO_ERRORS:
            rst(dst)
            other.transport.abort()

    async def passthrough(self, reader, writer):
        up_r, up_w = await self.connect_target()  # OSError -> client gets RST
        self.open.add(up_w)
        self.piped.add(writer)
        try:
            await asyncio.gather(self.pipe(reader, up_w, writer), self.pipe(up_r, writer, up_w))
        finally:
            self.piped.discard(writer)
            self.open.discard(up_w)
            up_w.close()

    def close_piped(self):
        """A new schedule applies to the next connections: close the kept-alive ones, so that a
        client's next request opens a new connection instead of slipping past the faults."""
        for writer in list(self.piped):
            writer.close()

    async def fault_refuse(self, reader, writer, _):
        rst(writer)

    async def fault_stall(self, reader, writer, _):
        while await reader.read(65536):
            pass

    async def fault_drop(self, reader, writer, _):
        await read_request(reader, writer)  # read it all so that close() sends FIN, not RST

    async def fault_status(self, reader, writer, code):
        await read_request(reader, writer)
        writer.write(http_response(code, {"error": {
            "message": f"injected {code} by fault_proxy", "type": "InjectedError",
            "param": None, "code": code}}))
        await writer.drain()

    async def fault_reset_mid_body(self, reader, writer, _):
        up_r, up_w = await self.connect_target()
        self.open.add(up_w)
        upload = asyncio.create_task(self.pipe(reader, up_w, writer))
        buf, end = b"", -1
        try:
            while end < 0 or len(buf) < end + 16:
                try:  # once the head is in, don't wait forever for a short body
                    chunk = await asyncio.wait_for(up_r.read(65536), None if end < 0 else 1.0)
                except TimeoutError:
                    break
                if not chunk:
                    break
                buf += chunk
                if end < 0 and (i := buf.find(b"\r\n\r\n")) >= 0:
                    end = i + 4
            if end >= 0:
                buf = buf[:end + 16]
            writer.write(buf)
            await writer.drain()
            await asyncio.sleep(0.05)  # let the kernel deliver the bytes before the RST
        finally:
            upload.cancel()
            rst(writer)
            self.open.discard(up_w)
            up_w.transport.abort()

    async def control(self, reader, writer):
        self.open.add(writer)
        try:
            line, _, body = await read_request(reader, writer)
            method, path = line.split()[:2]
            code, out = 200, {"ok": True}
            if method == "GET" and path == "/stats":
                pending = [spec_str(s) for s in self.schedule if s[2] > 0]
                out = dict(self.stats, pending_faults=pending,
                           mode=self.mode and self.mode + "_all")
            elif method == "POST" and path == "/faults":
                try:
                    text = body.decode()
                    self.schedule = [parse_spec(l) for l in text.splitlines() if l.strip()]
                    self.mode = None
                    self.close_piped()
                except ValueError as e:
                    code, out = 400, {"ok": False, "error": str(e)}
            elif method == "POST" and path == "/mode/passthrough":
                self.schedule, self.mode = [], None
            elif method == "POST" and path in ("/mode/stall_all", "/mode/refuse_all"):
                self.mode = path[len("/mode/"):-len("_all")]
                self.close_piped()
            else:
                code, out = 404, {"ok": False, "error": f"no route {method} {path}"}
            writer.write(http_response(code, out))
            await writer.drain()
        except (*IO_ERRORS, ValueError, UnicodeDecodeError):
            pass
        finally:
            self.open.discard(writer)
            writer.close()


async def watch_parent(pid, stop):
    while not stop.is_set():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            stop.set()
        except PermissionError:
            pass  # exists, owned by someone else
        await asyncio.sleep(1.0)


async def main():
    ap = argparse.ArgumentParser(description="Fault-injecting TCP proxy (see module docstring).")
    ap.add_argument("--target", required=True, help="HOST:PORT of the real server")
    ap.add_argument("--listen-port", type=int, default=0)
    ap.add_argument("--control-port", type=int, default=0)
    ap.add_argument("--fault", action="append", default=[], type=parse_spec, metavar="SPEC")
    ap.add_argument("--parent-pid", type=int, default=None)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    host, _, port = args.target.rpartition(":")
    proxy = Proxy((host or "127.0.0.1", int(port)), args.fault, args.verbose)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    servers = [await asyncio.start_server(proxy.handle, "127.0.0.1", args.listen_port),
               await asyncio.start_server(proxy.control, "127.0.0.1", args.control_port)]
    ports = [s.sockets[0].getsockname()[1] for s in servers]
    print(f"LISTENING {ports[0]} {ports[1]}", flush=True)
    if args.parent_pid:
        loop.create_task(watch_parent(args.parent_pid, stop))
    await stop.wait()
    for s in servers:
        s.close()
    for w in list(proxy.open):
        w.transport.abort()
    # Let the handlers see EOF and finish, so asyncio.run() has nothing left to cancel.
    others = asyncio.all_tasks() - {asyncio.current_task()}
    if others:
        await asyncio.wait(others, timeout=1.5)


if __name__ == "__main__":
    asyncio.run(main())
