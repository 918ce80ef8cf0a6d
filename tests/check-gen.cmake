# check-gen.cmake - run gen-sysregs.awk on one table and check the outcome.
#   cmake -DAWK=awk -DGEN=gen-sysregs.awk -DTABLE=t.txt -DFAILS=0|1
#         -DMESSAGE=text -DOUT=prefix -P check-gen.cmake
# FAILS=1: the generator must exit non-zero, print MESSAGE, and the message
# must name the table; FAILS=0: it must succeed and write both files.
file(REMOVE "${OUT}.h" "${OUT}.c")
execute_process(COMMAND ${AWK} -v hdr=${OUT}.h -v src=${OUT}.c -f ${GEN} ${TABLE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(FAILS)
  if(rc EQUAL 0)
    message(FATAL_ERROR "generator accepted ${TABLE}; expected an error: ${MESSAGE}")
  endif()
  string(FIND "${err}" "${MESSAGE}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "generator failed on ${TABLE} with\n${err}\nexpected the message: ${MESSAGE}")
  endif()
  get_filename_component(base "${TABLE}" NAME)
  if(NOT err MATCHES "${base}:[0-9]+: error: ")
    message(FATAL_ERROR "message does not have the form FILE:LINE: error: ...\n${err}")
  endif()
  if(EXISTS "${OUT}.h" OR EXISTS "${OUT}.c")
    message(FATAL_ERROR "generator wrote output for a refused table")
  endif()
else()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "generator refused a good table ${TABLE}:\n${err}")
  endif()
  if(NOT EXISTS "${OUT}.h" OR NOT EXISTS "${OUT}.c")
    message(FATAL_ERROR "generator did not write ${OUT}.h and ${OUT}.c")
  endif()
endif()
