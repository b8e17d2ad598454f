"""wrk, driven by a small Lua script: one signed-in adviser per connection, statuses counted.

wrk runs 8 threads of one connection each, so thread n is connection n and carries the
cookies (and, for the write test, the CSRF token) of adviser n. Any status of 400 or more is
an error; a 302 is the success of a POST.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.sessions import USER_AGENT

CONNECTIONS = 8

LUA = r"""
local identities = {IDENTITIES}
local method, path = "{METHOD}", "{PATH}"
local threads, counter = {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local me = identities[((id - 1) % #identities) + 1]
  wrk.method = method
  wrk.path = path
  wrk.headers["Cookie"] = me.cookie
  wrk.headers["User-Agent"] = "{USER_AGENT}"
{HEADERS}  if method == "POST" then
    wrk.body = me.body
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do table.insert(parts, string.format('"%s": %d', status, count)) end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect + errors.read + errors.write + errors.timeout, table.concat(parts, ", ")))
end
"""


@dataclass
class Identity:
    cookie: str
    body: str = ""  # the form a POST sends


@dataclass
class Measurement:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Every answer of 400 or more (429 included), and every socket error."""
        return self.socket_errors + sum(count for status, count in self.statuses.items() if int(status) >= 400)

    def successes(self) -> int:
        return sum(count for status, count in self.statuses.items() if 200 <= int(status) < 400)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def script(path: str, identities: list[Identity], method: str = "GET", headers: dict | None = None) -> str:
    rows = ", ".join("{cookie = %s, body = %s}" % (_lua_string(one.cookie), _lua_string(one.body))
                     for one in identities)
    extra = "".join(f"  wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}\n" for name, value in (headers or {}).items())
    return (LUA.replace("{IDENTITIES}", "{" + rows + "}").replace("{METHOD}", method).replace("{HEADERS}", extra)
            .replace("{PATH}", path).replace("{USER_AGENT}", USER_AGENT))


def run(base: str, path: str, identities: list[Identity], seconds: float, workdir: Path,
        method: str = "GET", connections: int = CONNECTIONS, headers: dict | None = None) -> Measurement:
    lua = workdir / "bench.lua"
    lua.write_text(script(path, identities, method, headers))
    duration = f"{max(seconds, 1):g}s"
    completed = subprocess.run(
        ["wrk", "-t", str(connections), "-c", str(connections), "-d", duration, "--timeout", "10s",
         "-s", str(lua), base + path], capture_output=True, text=True, timeout=seconds + 120)
    line = next((line for line in completed.stdout.splitlines() if line.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result for {path}:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    return Measurement(requests=raw["requests"], seconds=raw["duration_us"] / 1e6, p50_ms=raw["p50_us"] / 1000,
                       p99_ms=raw["p99_us"] / 1000, max_ms=raw["max_us"] / 1000,
                       socket_errors=raw["socket_errors"], statuses=raw["statuses"])
