-- wrk script: files portal appeals (POST /api/v1/appeals), each durable before its 201.
--
-- Default: varied appeals, as a region sends them -- a different citizen (name, valid IIN,
-- postal address) each time, one of the districts, categories and texts below, at one of
-- ~2,000 addresses per district, so that most appeals start or join small problems and some
-- join the same one as an earlier appeal (issue 23: the bench of one identical appeal
-- measured intake into one ever-growing problem only).
--   wrk -t2 -c64 -d5s -s bench/intake.lua URL/api/v1/appeals
-- "same": the one identical appeal again and again (every intake joins one problem that
-- grows by the thousands: a mass complaint, 10,000 citizens about one pothole):
--   wrk -t2 -c64 -d5s -s bench/intake.lua URL/api/v1/appeals -- same
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local same_body = '{"kind":"statement","category":"heating","district":"ridder","language":"ru",' ..
  '"text":"В доме нет отопления","address":"Риддер, ул. Гоголя 5",' ..
  '"applicant":{"type":"individual","full_name":"Иванов Иван","iin":"900101300007",' ..
  '"postal_address":"Риддер, ул. Гоголя 5, кв. 3"}}'
wrk.body = same_body

local districts = {
  {"ridder", "Риддер"}, {"ukg", "Усть-Каменогорск"}, {"altai", "Алтай"},
  {"glubokoe", "пгт Глубокое"}, {"shemonaikha", "Шемонаиха"}, {"zaisan", "Зайсан"},
  {"ulan", "Молодёжный"}, {"tarbagatai", "Аксуат"}, {"kurchum", "Курчум"},
  {"samar", "Самарское"},
}
local topics = {
  {"heating", "В доме нет отопления", "В квартире холодно, батареи едва тёплые"},
  {"water_supply", "Нет холодной воды", "Вода из крана идёт ржавая"},
  {"road_repair", "Яма на дороге у дома", "Разбит асфальт во дворе"},
  {"street_lighting", "Не горят фонари на улице", "Темно во дворе, фонарь сломан"},
  {"waste", "Не вывозят мусор", "Переполнены контейнеры у дома"},
  {"electricity", "Отключают свет каждый вечер", "Скачет напряжение в сети"},
  {"public_transport", "Автобус не ходит по расписанию", "Убрали остановку у дома"},
  {"stray_animals", "Бродячие собаки во дворе", "Стая собак у школы"},
  {"lifts", "Не работает лифт", "Лифт застревает между этажами"},
  {"gas", "Запах газа в подъезде", "Нет газа в доме"},
}
local streets = {"Гоголя", "Абая", "Мира", "Ленина", "Гагарина", "Степная", "Школьная",
  "Садовая", "Пушкина", "Островского"}
local surnames = {"Иванов", "Ахметов", "Петров", "Нурланов", "Сидоров", "Касымов",
  "Смирнов", "Бекова", "Жумабаев", "Ким"}
local names = {"Иван", "Айгуль", "Сергей", "Ерлан", "Мария", "Данияр", "Ольга", "Асель"}

local same = false

-- a valid IIN (ident.c: birth date, century digit, check digit) for a random date of birth
local function iin()
  while true do
    local s = string.format("%02d%02d%02d%d%04d", math.random(50, 99), math.random(1, 12),
      math.random(1, 28), math.random(3, 4), math.random(0, 9999))
    local sum = 0
    for i = 1, 11 do sum = sum + i * tonumber(s:sub(i, i)) end
    local c = sum % 11
    if c == 10 then
      local w2 = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
      sum = 0
      for i = 1, 11 do sum = sum + w2[i] * tonumber(s:sub(i, i)) end
      c = sum % 11
    end
    if c ~= 10 then return s .. c end
  end
end

local function pick(t) return t[math.random(#t)] end

init = function(args)
  same = args[1] == "same"
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

request = function()
  if same then return wrk.format(nil, nil, nil, same_body) end
  local d, t = pick(districts), pick(topics)
  local addr = string.format("%s, ул. %s %d", d[2], pick(streets), math.random(1, 200))
  local body = string.format('{"kind":"statement","category":"%s","district":"%s",' ..
    '"language":"ru","text":"%s","address":"%s","applicant":{"type":"individual",' ..
    '"full_name":"%s %s","iin":"%s","postal_address":"%s, кв. %d"}}',
    t[1], d[1], t[math.random(2, 3)], addr, pick(surnames), pick(names), iin(), addr,
    math.random(1, 120))
  return wrk.format(nil, nil, nil, body)
end

response = function(status, headers, body)
end

done = function(summary, latency, requests)
  io.write(string.format("intake-status: %d non-201 responses\n", summary.errors.status))
end
