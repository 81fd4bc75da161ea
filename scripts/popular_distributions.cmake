# Turns data/popular_distributions.txt into a C++ initializer list, one string per project:
#   "project-name",
# in the file's order (sorted by module name). Comment lines (#) and blank lines are skipped.
# Run by the build: cmake -DIN=data/popular_distributions.txt -DOUT=popular.inc -P this file.
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
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL out)
  file(WRITE "${OUT}" "${out}")
endif()
