// Tests of RunOrdered: results come out in input order, one at a time, whatever the number of
// workers and however long each task takes; a task's exception reaches the caller; tasks found
// while the batch runs are worked on before the search for them ends.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

#include "driver/batch.h"

namespace cellflow {
namespace {

// Task i sleeps a little, longer for some indices, so later tasks often finish first.
void SlowWork(size_t i, FileOutcome* out) {
  if (i % 7 == 3) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  out->text = std::to_string(i);
  out->errors = i;
}

TEST(RunOrdered, HandsOutResultsInOrderOneAtATime) {
  for (int jobs : {1, 2, 3, 8}) {
    SCOPED_TRACE(jobs);
    constexpr size_t kCount = 200;
    std::vector<size_t> seen;
    std::atomic<int> inside{0};
    bool overlapped = false;
    BatchOptions options;
    options.jobs = jobs;
    RunOrdered(kCount, options, SlowWork, [&](size_t i, FileOutcome& outcome) {
      overlapped |= inside.fetch_add(1) != 0;
      EXPECT_EQ(outcome.text, std::to_string(i));
      EXPECT_EQ(outcome.errors, i);
      seen.push_back(i);
      std::this_thread::yield();
      inside.fetch_sub(1);
    });
    EXPECT_FALSE(overlapped);
    ASSERT_EQ(seen.size(), kCount);
    for (size_t i = 0; i < kCount; ++i) EXPECT_EQ(seen[i], i);
  }
}

TEST(RunOrdered, MoreWorkersThanTasksAndNoTasks) {
  std::vector<size_t> seen;
  BatchOptions options;
  options.jobs = 16;
  RunOrdered(3, options, SlowWork, [&](size_t i, FileOutcome&) { seen.push_back(i); });
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 2}));
  RunOrdered(0, options, SlowWork, [&](size_t, FileOutcome&) { ADD_FAILURE(); });
}

TEST(RunOrdered, AnExceptionInATaskReachesTheCaller) {
  for (int jobs : {1, 2, 4}) {
    SCOPED_TRACE(jobs);
    BatchOptions options;
    options.jobs = jobs;
    size_t delivered = 0;
    auto work = [](size_t i, FileOutcome* out) {
      if (i == 57) throw std::runtime_error("task 57 failed");
      SlowWork(i, out);
    };
    EXPECT_THROW(RunOrdered(500, options, work, [&](size_t, FileOutcome&) { ++delivered; }),
                 std::runtime_error);
    EXPECT_LE(delivered, 57u);  // nothing after the failed task is handed out
  }
}

TEST(RunOrdered, AnExceptionInConsumeReachesTheCaller) {
  for (int jobs : {1, 2, 4}) {
    SCOPED_TRACE(jobs);
    BatchOptions options;
    options.jobs = jobs;
    EXPECT_THROW(RunOrdered(100, options, SlowWork,
                            [](size_t i, FileOutcome&) {
                              if (i == 10) throw std::runtime_error("consume failed");
                            }),
                 std::runtime_error);
  }
}

TEST(RunOrdered, TasksFoundWhileTheBatchRuns) {
  for (int jobs : {1, 2, 4}) {
    SCOPED_TRACE(jobs);
    std::atomic<bool> producing{true};
    std::atomic<size_t> ran_while_producing{0};
    std::atomic<size_t> started{0};
    std::vector<size_t> seen;
    BatchOptions options;
    options.jobs = jobs;
    auto produce = [&](const TasksFound& found) {
      for (size_t n = 10; n <= 300; n += 10) {
        found(n);
        if (n == 10 && jobs > 1) {
          // Another worker takes the first tasks while this thread is still finding more;
          // waited for with a generous limit rather than timed.
          const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
          while (started.load() == 0 && std::chrono::steady_clock::now() < limit) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        }
      }
      producing = false;
    };
    auto work = [&](size_t i, FileOutcome* out) {
      started.fetch_add(1);
      if (producing) ran_while_producing.fetch_add(1);
      SlowWork(i, out);
    };
    RunOrdered(options, produce, work, [&](size_t i, FileOutcome& outcome) {
      EXPECT_EQ(outcome.text, std::to_string(i));
      seen.push_back(i);
    });
    ASSERT_EQ(seen.size(), 300u);
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i);
    if (jobs == 1) {
      EXPECT_EQ(ran_while_producing.load(), 0u);  // one job: every task is found first
    } else {
      EXPECT_GT(ran_while_producing.load(), 0u);
    }
  }
}

TEST(RunOrdered, NoTasksFoundAndAnExceptionWhileFinding) {
  for (int jobs : {1, 3}) {
    SCOPED_TRACE(jobs);
    BatchOptions options;
    options.jobs = jobs;
    RunOrdered(
        options, [](const TasksFound&) {}, SlowWork, [](size_t, FileOutcome&) { ADD_FAILURE(); });
    size_t delivered = 0;
    EXPECT_THROW(RunOrdered(
                     options,
                     [](const TasksFound& found) {
                       found(5);
                       throw std::runtime_error("walk failed");
                     },
                     SlowWork, [&](size_t, FileOutcome&) { ++delivered; }),
                 std::runtime_error);
    EXPECT_LE(delivered, 5u);
  }
}

}  // namespace
}  // namespace cellflow
