"""`python -m bench`: every benchmark in turn."""

from bench import bench_discord, bench_domain, chat_precision, tune_resolution

tune_resolution.main()
print()
bench_domain.main()
print()
bench_discord.main()
print()
chat_precision.main()
