import cProfile, pstats, sys, io
sys.argv = ["x", "--db", "/tmp/hotlists-cache/sqlite-1000p-10000r-500u-seed1.sqlite3", "--pages", sys.argv[1], "--seconds", "1"]
import tools.page_cpu as pc
orig = pc.cpu_per_request
def prof(client, path, headers, seconds):
    client.get(path, base_url=pc.BASE, headers=headers)
    p = cProfile.Profile(); p.enable()
    for _ in range(60): client.get(path, base_url=pc.BASE, headers=headers)
    p.disable()
    s = io.StringIO(); pstats.Stats(p, stream=s).sort_stats("cumulative").print_stats(45); print(s.getvalue()[:9000])
    return 0.0, 0
pc.cpu_per_request = prof
pc.main(sys.argv[1:])
