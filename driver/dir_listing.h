// One directory's entries, read with readdir: the file system usually says which entries are
// directories, so no entry needs a stat of its own. Paths made absolute without a system call,
// and small files read with as few as there can be.
#ifndef CELLFLOW_DRIVER_DIR_LISTING_H_
#define CELLFLOW_DRIVER_DIR_LISTING_H_

#include <string>
#include <string_view>
#include <vector>

namespace cellflow {

struct DirEntry {
  std::string name;
  bool is_dir = false;      // a directory, or a symbolic link to one
  bool is_regular = false;  // a regular file, or a symbolic link to one
  bool is_symlink = false;
};

// The entries of `dir` but "." and "..", in the order readdir gives them; false (and nothing)
// when it cannot be opened.
bool ListDir(const std::string& dir, std::vector<DirEntry>* out);

// `path` made absolute against `cwd` (an absolute path) and lexically normal: no empty, "."
// or ".." components and no trailing '/' ("/" itself stays). Lexical, as
// std::filesystem::path::lexically_normal is: symbolic links are not resolved, and ".." at the
// root stays at the root.
std::string AbsoluteNormalPath(std::string_view path, std::string_view cwd);

// The whole of the regular file `path` in *contents, read with one open, fstat and read: false,
// with *error set, when it cannot be opened or read, is not a regular file, or is larger than
// `max_bytes`.
bool ReadWholeFile(const std::string& path, size_t max_bytes, std::string* contents,
                   std::string* error);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_DIR_LISTING_H_
