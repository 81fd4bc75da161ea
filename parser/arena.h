// Bump allocator for AST nodes: one per parsed input, freed all at once.
#ifndef CELLFLOW_PARSER_ARENA_H_
#define CELLFLOW_PARSER_ARENA_H_

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cellflow {

// Owns every node allocated from it. Objects must be trivially destructible: the arena never
// runs destructors. Everything pointing into an arena (nodes, spans, strings) dies with it.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) = default;
  Arena& operator=(Arena&&) = default;

  void* Allocate(size_t size, size_t align) {
    uintptr_t p = (reinterpret_cast<uintptr_t>(cur_) + align - 1) & ~(align - 1);
    if (cur_ == nullptr || p + size > reinterpret_cast<uintptr_t>(end_)) {
      Grow(size + align);
      p = (reinterpret_cast<uintptr_t>(cur_) + align - 1) & ~(align - 1);
    }
    cur_ = reinterpret_cast<char*>(p + size);
    return reinterpret_cast<void*>(p);
  }

  template <typename T, typename... Args>
  T* New(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (Allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }

  // Copies `items` into the arena and returns a span over the copy.
  template <typename T>
  std::span<T> Copy(const T* items, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (n == 0) return {};
    auto* p = static_cast<T*>(Allocate(sizeof(T) * n, alignof(T)));
    std::memcpy(static_cast<void*>(p), items, sizeof(T) * n);
    return {p, n};
  }

  std::string_view CopyString(std::string_view s) {
    if (s.empty()) return {};
    auto* p = static_cast<char*>(Allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  size_t BytesAllocated() const { return total_; }

 private:
  void Grow(size_t at_least) {
    size_t size = std::max(at_least, next_block_);
    // Blocks stay below malloc's mmap threshold (128 KiB), so that freed arenas are reused
    // from the heap instead of being mapped and faulted in again for every notebook.
    next_block_ = std::min<size_t>(next_block_ * 2, size_t{64} << 10);
    // Not zeroed: every byte handed out is written by its user first.
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    cur_ = blocks_.back().get();
    end_ = cur_ + size;
    total_ += size;
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cur_ = nullptr;
  char* end_ = nullptr;
  size_t next_block_ = 16 * 1024;
  size_t total_ = 0;
};

}  // namespace cellflow

#endif  // CELLFLOW_PARSER_ARENA_H_
