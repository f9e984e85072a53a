# Writes the service worker with the list of files it caches and a cache name that is a digest
# of their content: a new build is a new cache, taken whole when the worker next installs.
set(files index.html manifest.webmanifest app.js aftercare.js aftercare.wasm aftercare.data
    icon-180.png icon-192.png icon-512.png)
set(digests "")
foreach(file ${files})
  file(SHA256 ${SITE}/${file} digest)
  string(APPEND digests "${digest}")
endforeach()
string(SHA256 version "${digests}")
string(SUBSTRING "${version}" 0 16 AFTERCARE_CACHE_VERSION)
list(TRANSFORM files PREPEND "'./")
list(TRANSFORM files APPEND "'")
list(JOIN files ", " AFTERCARE_CACHED_FILES)
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
