-- wrk script for benchmarks/service.py: every request looks up a different IRI
-- (SELECT ?p ?o WHERE { <iri> ?p ?o }) over wrk's keep-alive connections.
-- Environment: IRIS names a file of <iri> lines; LOOKUP_PATH the endpoint's path;
-- THREADS wrk's thread count (each thread takes every THREADS-th IRI from its own start).
local iris, path = {}, os.getenv("LOOKUP_PATH") or "/sparql"
for line in io.lines(os.getenv("IRIS")) do iris[#iris + 1] = line end
local threads = 0

function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end

function init(args)
  step = tonumber(os.getenv("THREADS") or "1")
  position = first + 1
end

local function escape(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  local iri = iris[position]
  position = position + step
  if position > #iris then position = (position - 1) % #iris + 1 end
  return wrk.format("GET", path .. "?query=" .. escape("SELECT ?p ?o WHERE { " .. iri .. " ?p ?o }"),
                    {["Accept"] = "application/sparql-results+json"})
end
