# Builds each layering probe (see CMakeLists.txt) and checks the outcome:
#   up   -> the build fails because the header is not found from that layer;
#   down -> the build succeeds.
# Prints one line per probe and a closing "N passed, N failed" line.
set(passed 0)
set(failed 0)
foreach(entry IN LISTS PROBES)
    string(REPLACE ":" ";" entry "${entry}")
    list(GET entry 0 name)
    list(GET entry 1 header)
    list(GET entry 2 expected)
    execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${name}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    string(FIND "${out}" "${header}: No such file" notFound)
    if(expected STREQUAL "up" AND NOT rc EQUAL 0 AND notFound GREATER -1)
        message("PASS ${name}: upward include rejected")
        math(EXPR passed "${passed} + 1")
    elseif(expected STREQUAL "down" AND rc EQUAL 0)
        message("PASS ${name}: downward include compiles")
        math(EXPR passed "${passed} + 1")
    else()
        message("FAIL ${name}: expected ${expected}, build exit ${rc}\n${out}")
        math(EXPR failed "${failed} + 1")
    endif()
endforeach()
message("${passed} passed, ${failed} failed")
if(failed GREATER 0)
    message(FATAL_ERROR "layering probes failed")
endif()
