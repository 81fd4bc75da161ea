// The ordered worker pool and the progress line.
#include "driver/batch.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_format.h"

namespace cellflow {
namespace {

// The parser recurses up to its depth limit (2,000 nested expressions or blocks); 64 MiB leaves a
// wide margin whatever the default thread stack of the platform is.
constexpr size_t kWorkerStack = size_t{64} << 20;

// Results that may wait for their turn, per worker: enough to keep every worker busy behind one
// slow file (a notebook of megabytes takes as long as dozens of small ones), few enough that a
// million-file batch holds only a few hundred outputs, most of them a line or two.
constexpr size_t kSlotsPerWorker = 64;

using Clock = std::chrono::steady_clock;

// "[ 1234/50000]  812 files/s  ETA 59s" on stderr, redrawn at most ten times a second and only
// once the run has lasted a second. While inputs are still being found, the total is what is
// found so far, followed by '+', and there is no ETA.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { Clear(); }

  // May be called from any thread.
  void SetTotal(size_t total, bool final) {
    total_.store(total, std::memory_order_relaxed);
    if (final) final_.store(true, std::memory_order_release);
  }

  void Update(size_t done) {
    if (!enabled_) return;
    Clock::time_point now = Clock::now();
    double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 1.0 || now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double rate = done / elapsed;
    const bool final = final_.load(std::memory_order_acquire);
    const size_t total = std::max(total_.load(std::memory_order_relaxed), done);
    std::string eta = "?";
    if (rate > 0 && final) {
      auto seconds = static_cast<long long>((total - done) / rate);
      eta = seconds >= 60 ? absl::StrFormat("%dm%02ds", seconds / 60, seconds % 60)
                          : absl::StrFormat("%ds", seconds);
    }
    std::string line =
        absl::StrFormat("\r[%*d/%d%s] %.0f files/s, ETA %s\x1b[K", std::to_string(total).size(),
                        done, total, final ? "" : "+", rate, eta);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
    drawn_ = true;
  }

  void Clear() {
    if (!drawn_) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  std::atomic<size_t> total_{0};
  std::atomic<bool> final_{false};
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

// The state the workers share. A worker that finishes the result next in input order hands out
// that result and every ready one after it (one worker at a time): no thread sleeps waiting for
// results, and a worker waits only when the window of results in flight is full.
struct Shared {
  size_t count = 0;        // tasks found so far; guarded by mu
  bool found_all = false;  // count is final; guarded by mu
  size_t window = 0;
  const std::function<void(size_t, FileOutcome*)>* work = nullptr;
  std::function<void(size_t, FileOutcome&)> deliver;

  std::mutex mu;
  std::condition_variable slot_free;  // workers wait here for the window to move
  size_t next_task = 0;               // the next index a worker takes
  size_t next_out = 0;                // the next index to hand out
  bool delivering = false;            // a worker is handing out results
  int workers_waiting = 0;            // workers sleeping on slot_free
  std::vector<FileOutcome> slots;     // index i lives in slots[i % window]
  std::vector<char> ready;
  std::exception_ptr failure;
};

// Hands out the ready results from next_out on, unless another worker already does. Called
// with `lock` held; returns with it held.
void Deliver(Shared& s, std::unique_lock<std::mutex>& lock) {
  if (s.delivering) return;
  s.delivering = true;
  while (!s.failure && s.next_out < s.count && s.ready[s.next_out % s.window]) {
    const size_t i = s.next_out;
    FileOutcome outcome = std::move(s.slots[i % s.window]);
    s.slots[i % s.window] = FileOutcome();
    s.ready[i % s.window] = 0;
    s.next_out = i + 1;
    const bool wake = s.workers_waiting > 0;
    lock.unlock();
    if (wake) s.slot_free.notify_all();
    try {
      s.deliver(i, outcome);
    } catch (...) {
      lock.lock();
      if (!s.failure) s.failure = std::current_exception();
      s.slot_free.notify_all();
      break;
    }
    lock.lock();
  }
  s.delivering = false;
}

void RunWorker(Shared& s) {
  for (;;) {
    size_t i;
    {
      std::unique_lock<std::mutex> lock(s.mu);
      ++s.workers_waiting;
      s.slot_free.wait(lock, [&] {
        return s.failure || (s.next_task >= s.count && s.found_all) ||
               (s.next_task < s.count && s.next_task < s.next_out + s.window);
      });
      --s.workers_waiting;
      if (s.failure || s.next_task >= s.count) return;
      i = s.next_task++;
    }
    FileOutcome outcome;
    try {
      (*s.work)(i, &outcome);
    } catch (...) {
      std::lock_guard<std::mutex> lock(s.mu);
      if (!s.failure) s.failure = std::current_exception();
      s.slot_free.notify_all();
      return;
    }
    std::unique_lock<std::mutex> lock(s.mu);
    s.slots[i % s.window] = std::move(outcome);
    s.ready[i % s.window] = 1;
    if (i == s.next_out) Deliver(s, lock);
  }
}

void* WorkerMain(void* arg) {
  RunWorker(*static_cast<Shared*>(arg));
  return nullptr;
}

}  // namespace

int DefaultJobs() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 256u));
}

void RunOrdered(size_t count, const BatchOptions& options,
                const std::function<void(size_t, FileOutcome*)>& work,
                const std::function<void(size_t, FileOutcome&)>& consume) {
  RunOrdered(
      options, [count](const TasksFound& found) { found(count); }, work, consume);
}

void RunOrdered(const BatchOptions& options, const std::function<void(const TasksFound&)>& produce,
                const std::function<void(size_t, FileOutcome*)>& work,
                const std::function<void(size_t, FileOutcome&)>& consume) {
  ProgressLine progress(options.progress);
  auto deliver = [&](size_t i, FileOutcome& outcome) {
    progress.Update(i + 1);
    if ((options.output_on_terminal && !outcome.text.empty()) || !outcome.error_text.empty()) {
      progress.Clear();
    }
    consume(i, outcome);
  };
  const auto jobs = static_cast<size_t>(std::max(options.jobs, 1));
  if (jobs == 1) {
    // One worker: every task is found first, then run inline, without handing results between
    // threads. The calling thread's stack is the process's main stack (8 MiB by default),
    // which the parser's depth limit fits.
    size_t count = 0;
    produce([&count](size_t n) { count = n; });
    progress.SetTotal(count, true);
    for (size_t i = 0; i < count; ++i) {
      FileOutcome outcome;
      work(i, &outcome);
      deliver(i, outcome);
    }
    return;
  }
  Shared s;
  s.window = jobs * kSlotsPerWorker;
  s.work = &work;
  s.deliver = deliver;
  s.slots.resize(s.window);
  s.ready.assign(s.window, 0);

  // The calling thread finds the tasks, then is one of the workers; the others get stacks of
  // their own, and start as tasks are found: no more of them than tasks.
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kWorkerStack);
  std::vector<pthread_t> threads;
  bool cannot_spawn = false;
  auto found = [&](size_t n) {
    progress.SetTotal(n, false);
    {
      std::lock_guard<std::mutex> lock(s.mu);
      if (n <= s.count) return;
      s.count = n;
      if (s.workers_waiting > 0) s.slot_free.notify_all();
    }
    while (!cannot_spawn && threads.size() + 1 < jobs && threads.size() < n) {
      pthread_t id;
      cannot_spawn = pthread_create(&id, &attr, WorkerMain, &s) != 0;
      if (!cannot_spawn) threads.push_back(id);
    }
  };
  try {
    produce(found);
  } catch (...) {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.failure) s.failure = std::current_exception();
  }
  pthread_attr_destroy(&attr);
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.found_all = true;
    progress.SetTotal(s.count, true);
    s.slot_free.notify_all();
  }
  RunWorker(s);
  {
    // Every task is taken; the last ones may still be running on other workers, which hand
    // out what is left when they finish.
    std::lock_guard<std::mutex> lock(s.mu);
    s.slot_free.notify_all();
  }
  for (pthread_t id : threads) pthread_join(id, nullptr);
  if (s.failure) std::rethrow_exception(s.failure);
}

}  // namespace cellflow
