#!/usr/bin/env python3
# bench/combos.py PORT N SEED: N random combinations of the documented filters of the staff
# lists (GET /api/v1/appeals, /problems, /violations: one to five filters, random values,
# sort, limit, and with COUNTS=1 the work queue's counts) as twelve demo users, each request
# the best of three warm ones (one after a slow first), and the next page of each that has
# one; prints how many took over 20 ms, p50/p90/p99 and their sum, then the 40 slowest.
# KINDS=apv picks the lists (a: appeals, twice as often as p: problems and v: violations).
# Issue 23 point 1 ("any combination of the documented filters"): session 20 found 59 of
# 392 appeal-list requests over 20 ms on the swept 1M demo with it. Run it against a server
# on a large demo (otinish init --demo 1000000, otinish sweep, otinish serve --public-limit
# 0); not part of make bench. Needs python3 (the standard library only).
import os, http.client, json, random, sys, time, urllib.parse
port, n, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)
users = ['supervisor', 'head', 'head.ridder', 'head.ukg', 'head.health', 'head.education',
         'exec.ridder.housing', 'registrar.ridder', 'executor', 'auditor', 'head.ukg.housing',
         'registrar']
c = http.client.HTTPConnection('127.0.0.1', port)
def req(path, tok, method='GET', body=None):
    h = {'Authorization': 'Bearer ' + tok} if tok else {}
    if body: h['Content-Type'] = 'application/json'
    t = time.perf_counter(); c.request(method, path, body=body, headers=h); r = c.getresponse(); d = r.read()
    return r.status, d, time.perf_counter() - t
toks = {}
for u in list(users):
    s, d, _ = req('/api/v1/session', None, 'POST', json.dumps({'login': u, 'password': 'otinish-demo-2026'}))
    if s == 201 or s == 200:
        toks[u] = json.loads(d)['token']
    else:
        users.remove(u)
bodies = [b['id'] for b in json.loads(req('/api/v1/bodies', None)[1])['bodies']]
stat = 'answered assigned closed in_work not_considered registered terminated'.split()
kinds = 'complaint proposal report request response statement'.split()
cats = 'heating road_repair waste water_supply school polyclinic religion_civil_society security_threat language other gas lifts'.split()
dists = 'altai glubokoe katonkaragai kurchum markakol ridder samar shemonaikha tarbagatai ukg ulan ulkennaryn zaisan'.split()
chans = 'email mail phone portal reception'.split()
execs = ['6','10','12','15','17','19','5','999']
def day(): return '2026-%02d-%02d' % (random.randint(1, 12), random.randint(1, 28))
def instant(): return day() + 'T00:00:00+05:00' # received_from/_to are instants with a zone
def appeals_q():
    f = {}
    opts = {'status': lambda: random.choice(stat), 'body': lambda: random.choice(bodies), 'kind': lambda: random.choice(kinds),
            'category': lambda: random.choice(cats), 'district': lambda: random.choice(dists), 'channel': lambda: random.choice(chans),
            'executor': lambda: random.choice(execs), 'overdue': lambda: '1', 'due_before': day, 'due_after': day,
            'received_from': instant, 'received_to': instant, 'repeated': lambda: '1', 'under': lambda: random.choice(bodies),
            'sort': lambda: 'due', 'limit': lambda: random.choice(['1', '50', '500'])}
    if os.environ.get('COUNTS'): opts['counts'] = lambda: '1'
    for k in random.sample(list(opts), random.randint(1, 5)): f[k] = opts[k]()
    if 'overdue' in f and f.get('sort') == 'new': del f['sort']
    return '/api/v1/appeals?' + urllib.parse.urlencode(f)
def problems_q():
    f = {}
    opts = {'body': lambda: random.choice(bodies), 'district': lambda: random.choice(dists), 'category': lambda: random.choice(cats),
            'state': lambda: random.choice('open solved_confirmed solved_unconfirmed recurring'.split()),
            'min_appeals': lambda: str(random.choice([2, 3, 5, 10, 50, 1000])), 'since': day,
            'sort': lambda: random.choice(['recent', 'appeals', 'age']), 'limit': lambda: random.choice(['1', '50', '200'])}
    for k in random.sample(list(opts), random.randint(1, 5)): f[k] = opts[k]()
    return '/api/v1/problems?' + urllib.parse.urlencode(f)
def viol_q():
    f = {}
    opts = {'body': lambda: random.choice(bodies), 'person': lambda: random.choice(execs), 'status': lambda: random.choice(['open', 'closed', 'cancelled', 'appealed']),
            'kind': lambda: random.choice('late_answer late_complaint late_forward no_proceedings'.split()), 'from': day, 'to': day,
            'limit': lambda: random.choice(['1', '50', '500'])}
    for k in random.sample(list(opts), random.randint(1, 4)): f[k] = opts[k]()
    return '/api/v1/violations?' + urllib.parse.urlencode(f)
res = []
for i in range(n):
    u = random.choice(users)
    path = random.choice([{'a':appeals_q,'p':problems_q,'v':viol_q}[x] for x in os.environ.get('KINDS','aapv')])()
    best = 1e9
    for k in range(3):
        s, d, t = req(path, toks[u]); best = min(best, t)
        if s >= 500: print('5xx', s, u, path, d[:200]); break
        if best > 0.5: break
    nxt = None
    if s == 200:
        try: nxt = json.loads(d).get('next')
        except Exception: pass
    res.append((best, s, u, path))
    if nxt and isinstance(nxt, str):   # the next page too
        p2 = path + '&after=' + urllib.parse.quote(nxt)
        best = 1e9
        for k in range(3):
            s, d, t = req(p2, toks[u]); best = min(best, t)
            if best > 0.5: break
        res.append((best, s, u, p2))
res.sort(reverse=True)
ts=sorted(r[0] for r in res); pcts=[ts[int(len(ts)*q)]*1000 for q in (0.5,0.9,0.99)]
print('requests', len(res), 'over 20 ms', sum(1 for r in res if r[0] > 0.02), 'p50 %.1f p90 %.1f p99 %.1f ms sum %.0f ms' % (pcts[0],pcts[1],pcts[2],sum(ts)*1000),
      'not 200: %d' % sum(1 for r in res if r[1] != 200))
for r in res[:40]: print('%7.1f ms %d %-20s %s' % (r[0] * 1000, r[1], r[2], urllib.parse.unquote(r[3])))
