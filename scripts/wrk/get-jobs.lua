-- GET /jobs/{id} of random jobs whose ids are listed, one per line, in the file named by env IDS_FILE
local ids = {}
function init(args)
  for line in io.lines(os.getenv("IDS_FILE")) do
    ids[#ids + 1] = line
  end
  math.randomseed(os.time() + #ids)
end
function request()
  return wrk.format("GET", "/jobs/" .. ids[math.random(1, #ids)])
end
