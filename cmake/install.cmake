# install.cmake - 'cmake --install' places the C libraries and their headers
# (include/serrsim/, used as #include <serrsim/pe.h>), the SystemC wrapper
# library and header when SystemC was found, the serrsim, serrsim-qemu (and
# serrsim-sc) binaries, pkg-config files (serrsim.pc, serrsim-systemc.pc)
# and a CMake package: find_package(serrsim) gives serrsim::sysregs,
# serrsim::model, serrsim::hyp, serrsim::scenario and needs no SystemC;
# find_package(serrsim COMPONENTS systemc) adds serrsim::systemc and finds
# SystemC.  The install.* tests (label install, tests/consumer/) install
# the tree into the build directory and build programs against it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SERRSIM_INCLUDE_SUBDIR ${CMAKE_INSTALL_INCLUDEDIR}/serrsim)
set(SERRSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/serrsim)
# In the build tree too, include/serrsim/ holds every installed header (as
# links), so that a project including serrsim with add_subdirectory writes
# the same #include <serrsim/pe.h> as against an installed tree.
set(SERRSIM_BUILD_INCLUDE ${PROJECT_BINARY_DIR}/include)
file(REMOVE_RECURSE ${SERRSIM_BUILD_INCLUDE}/serrsim)
file(MAKE_DIRECTORY ${SERRSIM_BUILD_INCLUDE}/serrsim)

# serrsim_install_library(NAME EXPORT SET HEADERS h...): install library
# serrsim_NAME as serrsim::NAME in the export set SET, and its HEADERS
# (relative to the source tree, or absolute for generated ones) flat into
# include/serrsim/.  Installed headers include each other as "sibling.h":
# the directory of the including file is searched first, so a user's own
# header of the same name is never picked up in its place.
set(_serrsim_c_libs)
function(serrsim_install_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXPORT" "HEADERS")
  if(NOT TARGET serrsim_${name})
    return()
  endif()
  # Paths into the source and build trees hold only in the build tree.
  get_target_property(dirs serrsim_${name} INTERFACE_INCLUDE_DIRECTORIES)
  set(inc "$<BUILD_INTERFACE:${SERRSIM_BUILD_INCLUDE}>")
  foreach(d IN LISTS dirs)
    if(d MATCHES "^\\$<INSTALL_INTERFACE:")
      continue()
    elseif(d MATCHES "^\\$<")
      list(APPEND inc "${d}")
    elseif(d)
      list(APPEND inc "$<BUILD_INTERFACE:${d}>")
    endif()
  endforeach()
  list(APPEND inc "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  set_target_properties(serrsim_${name} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${inc}" EXPORT_NAME ${name})
  install(TARGETS serrsim_${name} EXPORT ${arg_EXPORT}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  foreach(h IN LISTS arg_HEADERS)
    get_filename_component(h ${h} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
    get_filename_component(base ${h} NAME)
    install(FILES ${h} DESTINATION ${SERRSIM_INCLUDE_SUBDIR})
    file(CREATE_LINK ${h} ${SERRSIM_BUILD_INCLUDE}/serrsim/${base} SYMBOLIC)
  endforeach()
  if(arg_EXPORT STREQUAL "serrsimTargets")
    set(_serrsim_c_libs ${name} ${_serrsim_c_libs} PARENT_SCOPE)
  endif()
endfunction()

# ---------------------------------------------------------------------------
# The installed libraries, one line each, lowest layer first (pkg-config
# links them in the reverse order).  A new C library is one more line here:
# its headers are then installed, linked by serrsim.pc, exported as
# serrsim::NAME, and included and nm-checked by the install.* tests.
serrsim_install_library(sysregs EXPORT serrsimTargets HEADERS
  sysregs/sysregs.h sysregs/esr.h ${PROJECT_BINARY_DIR}/sysregs/gen/sysregs_gen.h)
serrsim_install_library(model EXPORT serrsimTargets HEADERS
  model/pe.h model/config.h model/isa.h model/isa.def model/vectors.h)
serrsim_install_library(hyp EXPORT serrsimTargets HEADERS hyp/hyp.h hyp/vcpu.h)
serrsim_install_library(scenario EXPORT serrsimTargets HEADERS scenario/scenario.h)
# The SystemC wrapper: its own export set, loaded only for COMPONENTS systemc.
serrsim_install_library(systemc EXPORT serrsimSystemcTargets HEADERS systemc/serrsim_pe.h)
# ---------------------------------------------------------------------------

set(SERRSIM_HAVE_SYSTEMC OFF)
if(TARGET serrsim_systemc)
  set(SERRSIM_HAVE_SYSTEMC ON)
endif()
# serrsim diff-qemu and export run serrsim-qemu from the serrsim binary's
# directory (cli/main.c exec_qemu_tool).
foreach(exe serrsim serrsim-qemu serrsim-sc)
  if(TARGET ${exe})
    install(TARGETS ${exe} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

install(EXPORT serrsimTargets NAMESPACE serrsim:: DESTINATION ${SERRSIM_CMAKE_DIR})
if(SERRSIM_HAVE_SYSTEMC)
  install(EXPORT serrsimSystemcTargets NAMESPACE serrsim:: DESTINATION ${SERRSIM_CMAKE_DIR})
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/serrsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/serrsimConfig.cmake INSTALL_DESTINATION ${SERRSIM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/serrsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/serrsimConfig.cmake ${PROJECT_BINARY_DIR}/serrsimConfigVersion.cmake
  DESTINATION ${SERRSIM_CMAKE_DIR})

# pkg-config files, relocatable: prefix is found from the .pc file's place.
set(PC_PREFIX "\${pcfiledir}/..")
string(REPLACE "/" ";" _libdir_parts "${CMAKE_INSTALL_LIBDIR}")
foreach(_p ${_libdir_parts})
  string(APPEND PC_PREFIX "/..")
endforeach()
set(PC_LIBS)
foreach(_l IN LISTS _serrsim_c_libs)
  string(APPEND PC_LIBS " -lserrsim_${_l}")
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/serrsim.pc.in ${PROJECT_BINARY_DIR}/serrsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/serrsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(SERRSIM_HAVE_SYSTEMC)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/serrsim-systemc.pc.in
    ${PROJECT_BINARY_DIR}/serrsim-systemc.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/serrsim-systemc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()

if(BUILD_TESTING)
  # tests/consumer/run.sh: install.tree installs the build into
  # build/install-test/prefix; the others build and run programs against it
  # (docs/testing.md).
  set(_it ${PROJECT_BINARY_DIR}/install-test)
  set(_run sh ${PROJECT_SOURCE_DIR}/tests/consumer/run.sh ${PROJECT_BINARY_DIR}
    ${PROJECT_SOURCE_DIR} ${_it} ${SERRSIM_HAVE_SYSTEMC})
  add_test(NAME install.tree COMMAND ${_run} tree)
  set_tests_properties(install.tree PROPERTIES FIXTURES_SETUP serrsim_installed)
  foreach(t headers find_package symbols api_example qemu_tool)
    add_test(NAME install.${t} COMMAND ${_run} ${t})
    set_tests_properties(install.${t} PROPERTIES FIXTURES_REQUIRED serrsim_installed)
  endforeach()
  set_tests_properties(install.tree install.headers install.find_package install.symbols
    install.api_example install.qemu_tool PROPERTIES LABELS install TIMEOUT 300)
endif()
