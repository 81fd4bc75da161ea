// Running one task per file on worker threads while handing the results out in input order,
// with a bounded number of results in flight, and a progress line for terminals.
#ifndef CELLFLOW_DRIVER_BATCH_H_
#define CELLFLOW_DRIVER_BATCH_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace cellflow {

// What one file contributed to the output.
struct FileOutcome {
  std::string text;                   // this file's part of the output, in the chosen format
  std::string error_text;             // for stderr: why the file could not be read
  std::vector<uint32_t> rule_counts;  // findings per RuleId (after --select/--ignore and noqa)
  size_t errors = 0;                  // error-severity findings
  bool io_error = false;              // the file could not be read at all (exit status 2)
  bool skipped = false;               // not checked: its kernel language is not Python
};

struct BatchOptions {
  int jobs = 1;           // worker threads (at least 1)
  bool progress = false;  // draw a progress line on stderr (callers decide: TTY and not disabled)
  // The output shares the terminal: erase the progress line before handing out a result.
  bool output_on_terminal = false;
};

// Calls `work(i, &outcome)` for every i in [0, count) on `jobs` workers (the calling thread and
// jobs - 1 threads, each with a stack large enough for the parser's deepest input), and
// `consume(i, outcome)` for i = 0, 1, 2, ... in order, as soon as each result and all before it
// are done: the worker that finishes the result next in order hands it out, with the ready ones
// after it. At most a few results per worker wait for their turn, so memory stays bounded by the
// files in flight. `work` must be safe to call concurrently; `consume` never runs concurrently
// (but not always on the calling thread). All calls are over when RunOrdered returns.
void RunOrdered(size_t count, const BatchOptions& options,
                const std::function<void(size_t, FileOutcome*)>& work,
                const std::function<void(size_t, FileOutcome&)>& consume);

// Tells the workers how many tasks exist so far: [0, count).
using TasksFound = std::function<void(size_t count)>;

// The same for tasks found while they run: `produce` runs on the calling thread while the
// other workers start on the tasks it announces through its argument (counts only grow), and
// the calling thread joins the workers when it returns. With one job, `produce` runs to its
// end before the first task.
void RunOrdered(const BatchOptions& options, const std::function<void(const TasksFound&)>& produce,
                const std::function<void(size_t, FileOutcome*)>& work,
                const std::function<void(size_t, FileOutcome&)>& consume);

// The number of worker threads `-j 0` (the default) means: the machine's cores.
int DefaultJobs();

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_BATCH_H_
