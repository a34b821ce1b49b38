-- wrk script: files portal appeals (POST /api/v1/appeals), each durable before its 201.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind":"statement","category":"heating","district":"ridder","language":"ru",' ..
  '"text":"В доме нет отопления","address":"Риддер, ул. Гоголя 5",' ..
  '"applicant":{"type":"individual","full_name":"Иванов Иван","iin":"900101300007",' ..
  '"postal_address":"Риддер, ул. Гоголя 5, кв. 3"}}'
local created, other = 0, 0
response = function(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("intake-status: %d non-201 responses\n", summary.errors.status))
end
