# Turns data/popular_distributions.txt into a C++ initializer list, one string per project:
#   "project-name",
# in the file's order (sorted by module name). Comment lines (#) and blank lines are skipped.
# Run by the build: cmake -DIN=data/popular_distributions.txt -DOUT=popular.inc -P this file.
include(${CMAKE_CURRENT_LIST_DIR}/write_if_changed.cmake)
file(STRINGS "${IN}" lines ENCODING UTF-8)
set(out "// Generated from data/popular_distributions.txt by scripts/popular_distributions.cmake.\n")
foreach(line IN LISTS lines)
  if(line MATCHES "^#" OR line MATCHES "^[ \t]*$")
    continue()
  endif()
  if(NOT line MATCHES "^[A-Za-z0-9._-]+$")
    message(FATAL_ERROR "${IN}: not a project name: '${line}'")
  endif()
  string(APPEND out "\"${line}\",\n")
endforeach()
write_if_changed("${OUT}" "${out}")
