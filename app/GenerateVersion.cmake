# Writes Version.h from Version.h.in: run at every build (cmake -P) so a new commit shows in
# `rpcbench --version` without re-running the configure step. configure_file() rewrites the
# header only when its content changes, so an unchanged commit recompiles nothing.
#   cmake -DSOURCE_DIR=<checkout> -DVERSION=<x.y.z> -DRPCBENCH_APP_ID=<id> -DINPUT=Version.h.in -DOUTPUT=Version.h -P GenerateVersion.cmake
set(RPCBENCH_VERSION "${VERSION}")
set(RPCBENCH_COMMIT "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
    # --exclude='*': the short commit itself even when tags exist; -dirty marks local changes.
    execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=7 --exclude=*
                    WORKING_DIRECTORY "${SOURCE_DIR}"
                    OUTPUT_VARIABLE RPCBENCH_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                    ERROR_QUIET RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        set(RPCBENCH_COMMIT "")
    endif()
endif()
if(RPCBENCH_COMMIT)
    set(RPCBENCH_VERSION_LINE "${RPCBENCH_VERSION} (${RPCBENCH_COMMIT})")
else()
    set(RPCBENCH_VERSION_LINE "${RPCBENCH_VERSION}")
endif()
configure_file("${INPUT}" "${OUTPUT}" @ONLY)
