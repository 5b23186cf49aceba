# SPDX-License-Identifier: MIT
# The peer for bench/rpc: Python's http.client on one keep-alive connection, the same
# eth_blockNumber calls one at a time and in batches of 100. Usage: peer_rpc.py PORT N
import http.client
import json
import sys
import time

port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
hdr = {"Content-Type": "application/json"}


def post(body):
    c.request("POST", "/", body=body, headers=hdr)
    return json.loads(c.getresponse().read())


t0 = time.monotonic()
for i in range(n):
    r = post(json.dumps({"jsonrpc": "2.0", "id": i, "method": "eth_blockNumber", "params": []}))
    int(r["result"], 16)
t1 = time.monotonic()
print("single %d %.0f" % (n, n / (t1 - t0)))
done = 0
t0 = time.monotonic()
while done < n:
    body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": "eth_blockNumber", "params": []} for i in range(100)])
    for r in post(body):
        int(r["result"], 16)
    done += 100
t1 = time.monotonic()
print("batch100 %d %.0f" % (done, done / (t1 - t0)))
