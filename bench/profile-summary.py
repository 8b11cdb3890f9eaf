#!/usr/bin/env python3
"""Where the CPU time of a profiled Gatehouse goes: reads async-profiler's collapsed stacks (recorded with
`threads`, so each stack starts with its thread) and prints three tables, each share also as CPU-µs per request
(the share times the CPU-µs per request measured from /proc over the same load):

1. by thread group (event loop, JIT compiler, GC, decision-log writer, other);
2. by owner: the innermost frame on the stack that is not the JDK's own (java.*, jdk.*, sun.*), grouped by
   library; kernel and native frames count for the Java frame that called them;
3. by Gatehouse stage: the package of the innermost io.gatehouse frame that is not a wrapper around the whole
   request (listener's Netty handlers and request-body wrapper, WRAPPERS below); samples without one are
   "outside the stages" (Netty, TLS, HTTP codec, Reactor Netty, WebFlux dispatch, Spring Cloud Gateway's routing
   and proxying, and Reactor signals between stages), broken down by owner as in 2;
4. the Gatehouse methods with the most samples (innermost io.gatehouse frame, wrappers skipped).

Usage: profile-summary.py PROFILE.collapsed REQUESTS CPU_US_PER_REQUEST [TOP_FRAMES]
"""
import collections
import re
import sys

OWNERS = [  # (prefix, label); first match wins
    ("io/netty/internal/tcnative", "TLS: BoringSSL via netty-tcnative"),
    ("io/netty/handler/ssl", "TLS: Netty SslHandler"),
    ("io/netty/handler/codec/http", "Netty HTTP codec"),
    ("io/netty/channel/epoll", "Netty epoll transport (syscalls included)"),
    ("io/netty/channel", "Netty channel pipeline"),
    ("io/netty/buffer", "Netty buffers"),
    ("io/netty", "Netty other"),
    ("reactor/netty", "Reactor Netty"),
    ("reactor/core", "Reactor Core operators"),
    ("org/springframework/cloud/gateway", "Spring Cloud Gateway"),
    ("org/springframework/web", "Spring WebFlux"),
    ("org/springframework/http", "Spring http (headers, codecs)"),
    ("org/springframework/boot/actuate", "Spring Boot actuator (metrics observation)"),
    ("io/micrometer", "Micrometer (metrics, observation)"),
    ("org/springframework", "Spring other"),
    ("io/gatehouse", "Gatehouse code"),
    ("com/fasterxml/jackson", "Jackson"),
    ("ch/qos/logback", "Logback"),
    ("org/slf4j", "SLF4J"),
    ("com/nimbusds", "Nimbus JOSE"),
    ("com/amazon/corretto", "ACCP (crypto)"),
    ("com/github/benmanes/caffeine", "Caffeine"),
]
JDK = ("java/", "javax/", "jdk/", "sun/", "com/sun/")
WRAPPERS = ("io/gatehouse/gateway/listener/Http1Deadlines$", "io/gatehouse/gateway/listener/RequestBodyTimeouts")


def is_java(frame):
    return ("/" in frame and "." in frame and not frame.endswith("_[k]") and not frame.startswith(("[", "/"))
            and " " not in frame)


def thread_group(name):
    n = name.lower()
    if "reactor-http-epoll" in n or "reactor-http-nio" in n:
        return "event loop (reactor-http-epoll-*)"
    if "compiler" in n:
        return "JIT compiler"
    if "gc" in n or "g1" in n:
        return "GC"
    if "decision" in n:
        return "decision-log writer"
    if "watch" in n:
        return "file watchers (config, keys)"
    return "other: " + re.sub(r"[-#]?\d+$", "", re.sub(r"\s*tid=\d+", "", name)).strip()


def main():
    path, requests, cpu_us = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    threads, owners, stages, leaves, total = (collections.Counter(), collections.Counter(),
                                              collections.Counter(), collections.Counter(), 0)
    outside, methods = collections.Counter(), collections.Counter()
    kernel = 0
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        frames = stack.split(";")
        thread = frames[0].strip("[]") if frames[0].startswith("[") else "?"
        total += n
        threads[thread_group(thread)] += n
        if frames[-1].endswith("_[k]"):
            kernel += n
        owner = None
        for f in reversed(frames):
            if is_java(f) and not f.startswith(JDK):
                owner = next((label for prefix, label in OWNERS if f.startswith(prefix)), "other: " + "/".join(f.split("/")[:2]))
                break
        if owner is None:
            java = any(is_java(f) for f in frames)
            owner = "JDK only (no library frame)" if java else "JVM internals / native (" + thread_group(thread) + ")"
        owners[owner] += n
        inner = next((f for f in reversed(frames)
                      if f.startswith("io/gatehouse/gateway/") and not f.startswith(WRAPPERS)), None)
        if not thread_group(thread).startswith("event loop"):
            stages["thread: " + thread_group(thread)] += n
            if inner is not None:
                methods[re.sub(r"\$\$Lambda\$.*", "(lambda)", inner)] += n
        elif inner is not None:
            stages[inner.split("/")[3] if inner.count("/") >= 4 else "(gateway root package)"] += n
            methods[re.sub(r"\$\$Lambda\$.*", "(lambda)", inner)] += n
        else:
            stages["event loop, outside the stages"] += n
            outside[owner] += n
        leaf = next((f for f in reversed(frames) if is_java(f)), frames[-1])
        leaves[leaf] += n

    def table(title, counter, limit=None):
        print(f"\n| {title} | samples | share | CPU-µs/req |\n|---|---|---|---|")
        for key, n in counter.most_common(limit):
            print(f"| {key} | {n} | {100 * n / total:.1f} % | {cpu_us * n / total:.1f} |")

    print(f"\n{total} samples, {requests} requests, {cpu_us} CPU-µs per request (/proc); kernel leaf frames: "
          f"{100 * kernel / total:.1f} %")
    table("thread group", threads)
    table("owner (innermost non-JDK frame)", owners)
    table("event loop: Gatehouse stage (package of the innermost io.gatehouse frame); other threads", stages)
    table("outside the stages, on the event loop, by owner", outside)
    table(f"Gatehouse method (innermost, top {top})", methods, top)
    table(f"innermost Java frame (top {top})", leaves, top)


if __name__ == "__main__":
    main()
