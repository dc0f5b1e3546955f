-- SPDX-License-Identifier: Apache-2.0
-- wrk script of robustness/soak.sh: checks every response.
--
--   wrk ... -s robustness/check.lua URL -- MODE EXPECTED LIMIT [HOST]
--
-- MODE tls:   200 with Strict-Transport-Security exactly EXPECTED (none:
--             without the header)
-- MODE plain: 301 with Location exactly EXPECTED and no
--             Strict-Transport-Security
-- LIMIT: stop a thread after this many responses (0: never); wrk still
--        runs until its -d has passed.
-- HOST: the Host header to send (wrk sends the URL's otherwise).
-- wrk keeps one value per header name, so a duplicated header shows as
-- one here: t/header_*.t and robustness/graceful.sh check that.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   mode = args[1]
   expected = args[2]
   limit = tonumber(args[3]) or 0
   if args[4] then
      wrk.headers["Host"] = args[4]
   end
   n = 0
   bad = 0
   first_bad = ""
end

function response(status, headers, body)
   n = n + 1
   local ok
   if mode == "tls" and expected == "none" then
      ok = status == 200 and headers["Strict-Transport-Security"] == nil
   elseif mode == "tls" then
      ok = status == 200 and headers["Strict-Transport-Security"] == expected
   else
      ok = status == 301 and headers["Location"] == expected
           and headers["Strict-Transport-Security"] == nil
   end
   if not ok then
      bad = bad + 1
      if first_bad == "" then
         first_bad = string.format("status %d, Location %s, STS %s", status,
                                   tostring(headers["Location"]),
                                   tostring(headers["Strict-Transport-Security"]))
      end
   end
   if limit > 0 and n >= limit then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local total, nbad, first = 0, 0, ""
   for _, t in ipairs(threads) do
      total = total + (t:get("n") or 0)
      nbad = nbad + (t:get("bad") or 0)
      local f = t:get("first_bad")
      if first == "" and f and f ~= "" then first = f end
   end
   local e = summary.errors
   io.write(string.format("CHECK responses=%d bad=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
                          total, nbad, e.connect, e.read, e.write, e.status, e.timeout))
   if first ~= "" then
      io.write("CHECK first bad response: " .. first .. "\n")
   end
end
