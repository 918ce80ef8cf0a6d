# install.cmake - 'cmake --install' places the C libraries (model, sysregs,
# scenario), their headers (with the generated sysregs_gen.h), the SystemC
# wrapper library and header when SystemC was found, the serrsim (and
# serrsim-sc) binaries, pkg-config files (serrsim.pc, serrsim-systemc.pc)
# and a CMake package (find_package(serrsim): serrsim::model,
# serrsim::sysregs, serrsim::scenario, serrsim::systemc).  The test
# install.consumer builds tests/consumer/ against an installed tree both ways.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SERRSIM_INCLUDE_SUBDIR ${CMAKE_INSTALL_INCLUDEDIR}/serrsim)
set(SERRSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/serrsim)

# The libraries' include directories point into the source and build trees;
# an installed target sees include/serrsim instead.
set(_inc_model ${PROJECT_SOURCE_DIR}/model)
set(_inc_sysregs ${PROJECT_SOURCE_DIR}/sysregs ${PROJECT_BINARY_DIR}/sysregs/gen)
set(_inc_scenario ${PROJECT_SOURCE_DIR}/scenario)
set(_inc_hyp ${PROJECT_SOURCE_DIR}/hyp)
foreach(lib model sysregs hyp scenario)
  if(TARGET serrsim_${lib})
    set_target_properties(serrsim_${lib} PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "$<BUILD_INTERFACE:${_inc_${lib}}>;$<INSTALL_INTERFACE:${SERRSIM_INCLUDE_SUBDIR}>"
      EXPORT_NAME ${lib})
    list(APPEND _serrsim_libs serrsim_${lib})
  endif()
endforeach()
set(SERRSIM_HAVE_SYSTEMC OFF)
if(TARGET serrsim_systemc)
  set(SERRSIM_HAVE_SYSTEMC ON)
  list(APPEND _serrsim_libs serrsim_systemc)
endif()

install(TARGETS ${_serrsim_libs} EXPORT serrsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${SERRSIM_INCLUDE_SUBDIR})
install(FILES
  ${PROJECT_SOURCE_DIR}/model/pe.h ${PROJECT_SOURCE_DIR}/model/config.h
  ${PROJECT_SOURCE_DIR}/model/isa.h ${PROJECT_SOURCE_DIR}/model/isa.def ${PROJECT_SOURCE_DIR}/model/vectors.h
  ${PROJECT_SOURCE_DIR}/hyp/hyp.h ${PROJECT_SOURCE_DIR}/hyp/vcpu.h
  ${PROJECT_SOURCE_DIR}/sysregs/sysregs.h ${PROJECT_SOURCE_DIR}/sysregs/esr.h
  ${PROJECT_BINARY_DIR}/sysregs/gen/sysregs_gen.h
  ${PROJECT_SOURCE_DIR}/scenario/scenario.h
  DESTINATION ${SERRSIM_INCLUDE_SUBDIR})
if(SERRSIM_HAVE_SYSTEMC)
  install(FILES ${PROJECT_SOURCE_DIR}/systemc/serrsim_pe.h DESTINATION ${SERRSIM_INCLUDE_SUBDIR})
endif()
foreach(exe serrsim serrsim-sc)
  if(TARGET ${exe})
    install(TARGETS ${exe} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

install(EXPORT serrsimTargets NAMESPACE serrsim:: DESTINATION ${SERRSIM_CMAKE_DIR})
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
configure_file(${PROJECT_SOURCE_DIR}/cmake/serrsim.pc.in ${PROJECT_BINARY_DIR}/serrsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/serrsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(SERRSIM_HAVE_SYSTEMC)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/serrsim-systemc.pc.in
    ${PROJECT_BINARY_DIR}/serrsim-systemc.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/serrsim-systemc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()

if(BUILD_TESTING)
  # Install into a temporary prefix, then build and run tests/consumer/ with
  # find_package(serrsim) and with pkg-config (C API, and the SystemC module
  # when SystemC is there).
  add_test(NAME install.consumer
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/consumer/run.sh ${PROJECT_BINARY_DIR}
            ${PROJECT_SOURCE_DIR}/tests/consumer ${SERRSIM_HAVE_SYSTEMC})
  set_tests_properties(install.consumer PROPERTIES LABELS install TIMEOUT 300)
endif()
