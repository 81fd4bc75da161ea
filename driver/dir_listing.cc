#include "driver/dir_listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "lexer/str_util.h"

namespace cellflow {

namespace {

// One entry of the directory open as `fd`, its type from the file system (DT_UNKNOWN when it
// does not say).
void AddEntry(int fd, const char* name, unsigned char type, std::vector<DirEntry>* out) {
  if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) return;
  DirEntry entry;
  entry.name = name;
  if (type == DT_UNKNOWN) {
    struct stat st;
    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) entry.is_symlink = S_ISLNK(st.st_mode);
  }
  entry.is_symlink |= type == DT_LNK;
  if (type == DT_UNKNOWN || type == DT_LNK) {
    // The file system does not say, or a link: what it leads to decides.
    struct stat st;
    if (fstatat(fd, name, &st, 0) == 0) {
      entry.is_dir = S_ISDIR(st.st_mode);
      entry.is_regular = S_ISREG(st.st_mode);
    }
  } else {
    entry.is_dir = type == DT_DIR;
    entry.is_regular = type == DT_REG;
  }
  out->push_back(std::move(entry));
}

}  // namespace

bool ListDir(const std::string& dir, std::vector<DirEntry>* out) {
  out->clear();
  const char* path = dir.empty() ? "." : dir.c_str();
  // getdents64 on the descriptor (Linux): opendir would also fstat it.
  const int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  alignas(8) char buffer[32 * 1024];
  ssize_t n;
  while ((n = getdents64(fd, buffer, sizeof(buffer))) > 0) {
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const dirent64*>(buffer + at);
      AddEntry(fd, e->d_name, e->d_type, out);
      at += e->d_reclen;
    }
  }
  close(fd);
  return n == 0;
}

bool ReadWholeFile(const std::string& path, size_t max_bytes, std::string* contents,
                   std::string* error) {
  contents->clear();
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  struct stat st;
  bool ok = fstat(fd, &st) == 0;
  if (!ok) {
    *error = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    *error = "not a regular file";
    ok = false;
  } else if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    *error = StrCat("larger than ", max_bytes >> 20, " MiB");
    ok = false;
  }
  if (ok) {
    // The size fstat gave; a file that shrank since ends early.
    contents->resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < contents->size()) {
      ssize_t n = read(fd, contents->data() + done, contents->size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        *error = std::strerror(errno);
        ok = false;
      }
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    contents->resize(done);
  }
  close(fd);
  if (!ok) contents->clear();
  return ok;
}

std::string AbsoluteNormalPath(std::string_view path, std::string_view cwd) {
  // `out` holds "/a/b" for the components so far ("" for the root).
  std::string out;
  if (path.empty() || path[0] != '/') {
    out = AbsoluteNormalPath(cwd, "/");
    if (out == "/") out.clear();
  }
  size_t i = 0;
  while (i < path.size()) {
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(i, end - i);
    i = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      const size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
      continue;
    }
    out += '/';
    out += part;
  }
  if (out.empty()) out.push_back('/');
  return out;
}

}  // namespace cellflow
