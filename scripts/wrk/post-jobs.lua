-- POST /jobs with one new URL per request (unique across threads and runs); workers idle
local counter = 0
local thread_id = 0
function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
function init(args)
  math.randomseed(os.time() + tid * 7919)
  run = math.random(1, 1000000000)
end
function request()
  counter = counter + 1
  return wrk.format("POST", "/jobs", {["Content-Type"] = "application/json"},
    '{"url":"http://127.0.0.1:9/b/' .. run .. '/' .. tid .. '/' .. counter .. '"}')
end
