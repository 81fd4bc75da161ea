#include "driver/dir_listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

namespace cellflow {

bool ListDir(const std::string& dir, std::vector<DirEntry>* out) {
  out->clear();
  DIR* d = opendir(dir.empty() ? "." : dir.c_str());
  if (d == nullptr) return false;
  const int fd = dirfd(d);
  while (const dirent* e = readdir(d)) {
    const char* name = e->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    DirEntry entry;
    entry.name = name;
    unsigned char type = e->d_type;
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
  closedir(d);
  return true;
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
      out.resize(out.rfind('/') == std::string::npos ? 0 : out.rfind('/'));
      continue;
    }
    out += '/';
    out += part;
  }
  if (out.empty()) out = "/";
  return out;
}

}  // namespace cellflow
