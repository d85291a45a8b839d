"""Run one command and print its wall time, CPU time and peak RSS as JSON.

Run in a process of its own, so getrusage(RUSAGE_CHILDREN) covers exactly that command
and every worker it forks: CPU is their sum, peak RSS the largest of them.
"""

import json
import os
import resource
import subprocess
import sys
import time


def main():
    started = time.perf_counter()
    result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=os.environ)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mib": usage.ru_maxrss / 1024,
                "returncode": result.returncode,
                "stderr": result.stderr[-4000:],
            }
        )
    )


if __name__ == "__main__":
    main()
