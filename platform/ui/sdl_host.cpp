#include "ui/sdl_host.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <imgui_internal.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>
#endif

#include "ui/shell.h"

namespace aftercare::ui {

namespace {

// The longest time a frame counts for ImGui's timers (key repeat, double click): 1/20 s.
constexpr float kLongestFrame = 0.05f;

}  // namespace

struct SdlHost::Impl {
  SDL_Window* window = nullptr;
  SDL_Renderer* renderer = nullptr;
  std::optional<SDL_Event> held_back;  ///< An event for the next turn (see turn()).
  SDL_Surface* frame = nullptr;        ///< The web app's frame in device pixels, put on the canvas.
  ImGuiContext* context = nullptr;
  bool backends = false;
  ~Impl() {
    if (backends) {
      ImGui_ImplSDLRenderer_Shutdown();
      ImGui_ImplSDL2_Shutdown();
    }
    if (context) ImGui::DestroyContext(context);
    if (renderer) SDL_DestroyRenderer(renderer);
    if (frame) SDL_FreeSurface(frame);
    if (window) SDL_DestroyWindow(window);
    SDL_Quit();
  }
};

Result<std::unique_ptr<SdlHost>> SdlHost::open(const std::string& title, int width, int height,
                                               bool hidden) {
  // Everything is drawn by the software renderer: no OpenGL context (and no Mesa, LLVM) behind
  // the window.
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    return Error(ErrorCode::kIo, std::string("cannot start SDL: ") + SDL_GetError());
  }
  std::unique_ptr<SdlHost> host(new SdlHost());
  host->impl_ = std::make_unique<Impl>();
#ifdef __EMSCRIPTEN__
  // The browser: the window is the canvas, `width` x `height` CSS pixels. The software renderer
  // draws into a surface of device pixels (devicePixelRatio times as many), put on the canvas
  // each frame, so that a phone at DPR 3 gets sharp text and the whole layout; SDL's own window
  // framebuffer there is only CSS-pixel sized.
  (void)hidden;
  host->scale_ = std::max(1.0f, static_cast<float>(emscripten_get_device_pixel_ratio()));
  host->impl_->window = SDL_CreateWindow(title.c_str(), 0, 0, width, height, 0);
  if (!host->impl_->window) {
    return Error(ErrorCode::kIo, std::string("cannot open a window: ") + SDL_GetError());
  }
  if (Status sized = host->resize_frame(width, height); !sized) return sized.error();
#else
  float dpi = 0;
  // 96 dpi is scale 1; the offscreen driver reports none, and screenshots stay at scale 1.
  if (!hidden && SDL_GetDisplayDPI(0, &dpi, nullptr, nullptr) == 0 && dpi > 0) {
    host->scale_ = std::max(1.0f, dpi / 96.0f);
  }
  const Uint32 flags =
      SDL_WINDOW_ALLOW_HIGHDPI | (hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_RESIZABLE);
  host->impl_->window = SDL_CreateWindow(
      title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
      static_cast<int>(width * host->scale_), static_cast<int>(height * host->scale_), flags);
  if (!host->impl_->window) {
    return Error(ErrorCode::kIo, std::string("cannot open a window: ") + SDL_GetError());
  }
  host->impl_->renderer = SDL_CreateRenderer(host->impl_->window, -1, SDL_RENDERER_SOFTWARE);
  if (!host->impl_->renderer) {
    return Error(ErrorCode::kIo, std::string("cannot create a renderer: ") + SDL_GetError());
  }
#endif
  host->impl_->context = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing written beside the app
  io.LogFilename = nullptr;
  ImGui_ImplSDL2_InitForSDLRenderer(host->impl_->window);
  ImGui_ImplSDLRenderer_Init(host->impl_->renderer);
  host->impl_->backends = true;
  return host;
}

SdlHost::~SdlHost() = default;

#ifdef __EMSCRIPTEN__
Status SdlHost::resize_frame(int width, int height) {
  const int pixels_wide = static_cast<int>(std::lround(width * scale_));
  const int pixels_high = static_cast<int>(std::lround(height * scale_));
  SDL_Surface* frame =
      SDL_CreateRGBSurfaceWithFormat(0, pixels_wide, pixels_high, 32, SDL_PIXELFORMAT_ABGR8888);
  if (!frame) return Error(ErrorCode::kIo, std::string("cannot make a frame: ") + SDL_GetError());
  SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(frame);
  if (!renderer) {
    SDL_FreeSurface(frame);
    return Error(ErrorCode::kIo, std::string("cannot create a renderer: ") + SDL_GetError());
  }
  if (impl_->backends) ImGui_ImplSDLRenderer_Shutdown();
  if (impl_->renderer) SDL_DestroyRenderer(impl_->renderer);
  if (impl_->frame) SDL_FreeSurface(impl_->frame);
  impl_->frame = frame;
  impl_->renderer = renderer;
  SDL_SetWindowSize(impl_->window, width, height);
  emscripten_set_canvas_element_size("#canvas", pixels_wide, pixels_high);
  emscripten_set_element_css_size("#canvas", width, height);
  if (impl_->backends) {
    ImGui_ImplSDLRenderer_Init(impl_->renderer);
    ImGui_ImplSDLRenderer_CreateFontsTexture();
  }
  return {};
}

// ABGR8888 is R, G, B, A in memory on a little-endian machine: ImageData's order.
// clang-format off
EM_JS(void, put_frame_on_canvas, (const void* pixels, int width, int height), {
  const canvas = Module['canvas'];
  const context = canvas.getContext('2d');
  const bytes = new Uint8ClampedArray(HEAPU8.buffer, pixels, width * height * 4);
  context.putImageData(new ImageData(bytes, width, height), 0, 0);
});
// clang-format on

void SdlHost::present() {
  SDL_Surface* frame = impl_->frame;
  if (SDL_MUSTLOCK(frame)) SDL_LockSurface(frame);
  put_frame_on_canvas(frame->pixels, frame->w, frame->h);
  if (SDL_MUSTLOCK(frame)) SDL_UnlockSurface(frame);
}
#else
void SdlHost::present() { SDL_RenderPresent(impl_->renderer); }
#endif

void SdlHost::rebuild_style(Shell& shell) {
  const Theme& theme = shell.theme();
  apply_theme(theme);
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig config;
  config.OversampleH = 2;
  // Latin-1 covers English and French; the font is Debian's fonts-dejavu-core.
  // Latin-1 and Latin Extended-A (English, French, most of Europe's names), and general
  // punctuation (dashes, curly quotes, the ellipsis) for what patients type in notes.
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2000,
                                    0x206F, 0x20AC, 0x20AC, 0};
  // The order is the widgets' (widgets.h): body, title, small. Debian's fonts-dejavu-core.
  for (const auto& [file, pixels] :
       {std::pair{AFTERCARE_FONT_FILE, theme.px(theme.body_size)},
        std::pair{AFTERCARE_BOLD_FONT_FILE, theme.px(theme.title_size)},
        std::pair{AFTERCARE_FONT_FILE, theme.display_scale * theme.small_size}}) {
    io.Fonts->AddFontFromFileTTF(file, pixels, &config, kRanges);
  }
  ImGui_ImplSDLRenderer_DestroyFontsTexture();
  ImGui_ImplSDLRenderer_CreateFontsTexture();
}

namespace {

// ImGui's line and border normals come from rsqrtss (ImRsqrt), whose last bits differ between
// processors (an Intel and an AMD core give different answers), and the software renderer turns
// vertex positions into whole and fixed-point pixels. A border at y = 763 could come out as
// 762.9998 on one machine and land a row higher. Rounding every vertex to 1/64 pixel absorbs
// that error (under 0.001 px) before it reaches the renderer. It moves the unstable point
// rather than removing it: a vertex that falls within 0.001 px of a midpoint between two 1/64
// steps could still round apart, which layout values (whole and half pixels) do not do. 1/64 px
// is invisible on screen.
void snap_to_subpixel_grid(ImDrawData& data) {
  for (int i = 0; i < data.CmdListsCount; ++i) {
    for (ImDrawVert& vertex : data.CmdLists[i]->VtxBuffer) {
      vertex.pos.x = std::round(vertex.pos.x * 64.0f) / 64.0f;
      vertex.pos.y = std::round(vertex.pos.y * 64.0f) / 64.0f;
    }
  }
}

}  // namespace

void SdlHost::render(Shell& shell) {
  if (shell.take_style_change()) rebuild_style(shell);
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  // Frames are drawn on input, so the time since the last one may be minutes: counted as it is,
  // a key pressed after a pause would be held "for minutes" at its second frame and repeat. The
  // frame counts for at most kLongestFrame; ImGui's clock still moves by the whole pause, so that
  // two taps seconds apart are not taken for a double click.
  ImGuiIO& frame_io = ImGui::GetIO();
  if (frame_io.DeltaTime > kLongestFrame) {
    ImGui::GetCurrentContext()->Time += frame_io.DeltaTime - kLongestFrame;
    frame_io.DeltaTime = kLongestFrame;
  }
  int width = 0, height = 0;
  SDL_GetRendererOutputSize(impl_->renderer, &width, &height);
  int window_width = 0, window_height = 0;
  SDL_GetWindowSize(impl_->window, &window_width, &window_height);
  if (window_width > 0 && width != window_width) {
    // The web app: the window (and its events) are in CSS pixels, the frame in device pixels;
    // ImGui works in the frame's.
    ImGuiIO& io = ImGui::GetIO();
    const float ratio = static_cast<float>(width) / static_cast<float>(window_width);
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    if (ImGui::IsMousePosValid(&io.MousePos)) {
      io.MousePos = ImVec2(io.MousePos.x * ratio, io.MousePos.y * ratio);
    }
  }
  ImGui::NewFrame();
  shell.frame(static_cast<float>(width), static_cast<float>(height));
  ImGui::Render();
  const ImU32 background = shell.theme().background;
  SDL_SetRenderDrawColor(impl_->renderer, background & 0xFF, (background >> 8) & 0xFF,
                         (background >> 16) & 0xFF, 255);
  SDL_RenderClear(impl_->renderer);
  ImDrawData* data = ImGui::GetDrawData();
  snap_to_subpixel_grid(*data);
  ImGui_ImplSDLRenderer_RenderDrawData(data);
}

Status SdlHost::screenshot(Shell& shell, const std::filesystem::path& file, int frames) {
  for (int i = 0; i < frames; ++i) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    render(shell);
  }
  int width = 0, height = 0;
  SDL_GetRendererOutputSize(impl_->renderer, &width, &height);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 4);
  if (SDL_RenderReadPixels(impl_->renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels.data(),
                           width * 4) != 0) {
    return Error(ErrorCode::kIo, std::string("cannot read the frame: ") + SDL_GetError());
  }
  if (!stbi_write_png(file.c_str(), width, height, 4, pixels.data(), width * 4)) {
    return Error(ErrorCode::kIo, file.string() + ": cannot write the PNG");
  }
  return {};
}

void SdlHost::wake() {
  SDL_Event event{};
  event.type = SDL_USEREVENT;
  (void)SDL_PushEvent(&event);
}

bool SdlHost::turn(Shell& shell, const std::function<void()>& tick, bool wait) {
  for (; frames_to_draw_ > 0; --frames_to_draw_) {
    render(shell);
    present();
    // An action's outcome takes two frames: one draws it, the next settles ImGui's layout (the
    // content's height, and so the scroll bar, comes from the frame before).
    if (shell.take_redraw()) frames_to_draw_ += 2;
  }
  // Sleep until input, or the wall clock's next minute: nothing is drawn while nothing changes.
  SDL_Event event;
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto next_minute = floor<minutes>(now) + minutes(1);
  const int timeout = static_cast<int>(duration_cast<milliseconds>(next_minute - now).count()) + 1;
  bool have = false;
  if (impl_->held_back) {
    event = *std::exchange(impl_->held_back, std::nullopt);
    have = true;
  } else {
    have = wait ? SDL_WaitEventTimeout(&event, timeout) : SDL_PollEvent(&event);
  }
  // ImGui 1.86 has no input queue: it reads a key as down or up once a frame. A key that went
  // down and up (or up and down again) within one turn would never be seen in its new state (a
  // quick press; two presses in a row), so its second change waits for the next turn, after a
  // frame has seen the first.
  std::vector<SDL_Scancode> changed;
  bool any = false;
  for (; have; have = SDL_PollEvent(&event)) {
    if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) {
      const SDL_Scancode key = event.key.keysym.scancode;
      if (std::find(changed.begin(), changed.end(), key) != changed.end()) {
        impl_->held_back = event;
        break;
      }
      if (!event.key.repeat) changed.push_back(key);
    }
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_QUIT) return false;
    any = true;
  }
  // ImGui acts on a click in the frame after the one that saw it: input earns two frames.
  if (any) frames_to_draw_ = 2;
  // A tick when the minute on the clock turns (countdowns, "today" at midnight, reminders
  // falling due), not 60 s after the last one.
  if (const auto minute = floor<minutes>(system_clock::now()); minute != last_tick_) {
    last_tick_ = minute;
    shell.refresh();
    tick();
    request_frame();  // countdowns move every minute
  }
  return true;
}

int SdlHost::run(Shell& shell, const std::function<void()>& tick) {
  while (turn(shell, tick, true)) {
  }
  return 0;
}

}  // namespace aftercare::ui
