# check-pure.cmake - nm the model's libraries and fail when one of them
# references a forbidden symbol.
#   cmake -DNM=nm -DCHECK=io|alloc -DLIBS="a.a;b.a" -DDEFINED=sym -P check-pure.cmake
# CHECK=io: stdio and POSIX I/O (the model formats into caller buffers only;
# snprintf-style formatting is not I/O and is allowed).
# CHECK=alloc: heap allocation.
# DEFINED names a symbol the first library must define, so that an empty or
# failed nm cannot pass.
if(CHECK STREQUAL "io")
  set(forbidden
    printf fprintf vprintf vfprintf dprintf vdprintf
    __printf_chk __fprintf_chk __vprintf_chk __vfprintf_chk __dprintf_chk
    puts fputs putc fputc putchar _IO_putc putc_unlocked fputc_unlocked putchar_unlocked
    fwrite fwrite_unlocked fread fread_unlocked fputs_unlocked
    fopen fopen64 fdopen freopen fclose fflush fseek ftell rewind fileno
    fgets fgetc getc getchar gets getline getdelim ungetc
    scanf fscanf sscanf vscanf vfscanf __isoc99_scanf __isoc99_fscanf __isoc99_sscanf
    perror setvbuf setbuf tmpfile popen pclose
    stdin stdout stderr
    open open64 openat creat close read write pread pwrite readv writev lseek lseek64
    syslog vsyslog err errx warn warnx abort exit _exit system)
elseif(CHECK STREQUAL "alloc")
  set(forbidden malloc calloc realloc reallocarray free aligned_alloc posix_memalign
    memalign valloc strdup strndup mmap munmap)
else()
  message(FATAL_ERROR "CHECK must be io or alloc")
endif()

set(first TRUE)
set(bad "")
foreach(lib ${LIBS})
  if(NOT EXISTS "${lib}")
    message(FATAL_ERROR "no such library: ${lib}")
  endif()
  execute_process(COMMAND ${NM} -A "${lib}" OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} ${lib} failed: ${err}")
  endif()
  if(first)
    if(NOT out MATCHES "[ \t][TtDdBbRr] ${DEFINED}\n")
      message(FATAL_ERROR "${lib} does not define ${DEFINED}: nm output not usable")
    endif()
    set(first FALSE)
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  foreach(line ${lines})
    # "lib.a:obj.o:                 U symbol"
    if(line MATCHES "^(.*):[ \t]+U ([A-Za-z0-9_.@]+)$")
      set(where "${CMAKE_MATCH_1}")
      set(sym "${CMAKE_MATCH_2}")
      string(REGEX REPLACE "@.*$" "" sym "${sym}")
      list(FIND forbidden "${sym}" idx)
      if(NOT idx EQUAL -1)
        string(APPEND bad "  ${where}: ${sym}\n")
      endif()
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "forbidden ${CHECK} symbols referenced:\n${bad}")
endif()
message(STATUS "no ${CHECK} symbols in: ${LIBS}")
