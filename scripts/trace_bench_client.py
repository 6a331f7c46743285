# The workload of docs/performance.md's "stickyviz trace" table: N lockstep requests of 64 bytes
# to the course's echo server (tests/fixtures/trace/echo_server.py), each answer read with
# recv(1024). Prints the loop's own wall time, so the server's start-up is not counted.
import socket
import sys
import time

port, n = int(sys.argv[1]), int(sys.argv[2])
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.connect(('127.0.0.1', port))
msg = b'x' * 64
t0 = time.perf_counter()
for _ in range(n):
    c.send(msg)
    got = c.recv(1024)
    while len(got) < len(msg):
        got += c.recv(1024)
print('loop_ms %.1f' % ((time.perf_counter() - t0) * 1000))
c.close()
