// stb_image_write's code for the web build (Debian's libstb provides it natively): the host's
// PNG screenshot path compiles in both builds.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
