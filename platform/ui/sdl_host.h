#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"

namespace aftercare::ui {

class Shell;

/// An SDL2 window with the software SDL_Renderer and Dear ImGui on it: what the phone and
/// desktop executables share. With no display SDL picks its offscreen driver, which is what
/// `--screenshot` uses.
class SdlHost {
 public:
  /// A window of `width` x `height` points (scaled by the display's DPI); hidden for screenshots.
  static Result<std::unique_ptr<SdlHost>> open(const std::string& title, int width, int height,
                                               bool hidden);
  ~SdlHost();
  SdlHost(const SdlHost&) = delete;
  SdlHost& operator=(const SdlHost&) = delete;

  float display_scale() const { return scale_; }

  /// Asks for a frame from any thread (work finished in the background).
  static void wake();

  /// Draws frames of `shell` until the window closes. Sleeps in SDL_WaitEventTimeout while
  /// nothing happens; when the clock's minute turns the shell refreshes, `tick` runs
  /// (reminders) and a frame is drawn.
  int run(Shell& shell, const std::function<void()>& tick);
  /// One turn of that loop: draws the frames asked for, takes in the events that came (waiting
  /// for one when `wait`; the browser's loop does not), ticks once a minute. False on quit.
  bool turn(Shell& shell, const std::function<void()>& tick, bool wait);
  /// Draws a frame at the next turn (something changed without input).
  void request_frame() { frames_to_draw_ = std::max(frames_to_draw_, 1); }

#ifdef __EMSCRIPTEN__
  /// The browser: the canvas becomes `width` x `height` CSS pixels (the viewport), drawn at
  /// devicePixelRatio times that.
  Status resize_frame(int width, int height);
#endif

  /// Renders `frames` frames of `shell` (ImGui settles its layout over two) and writes the last
  /// as a PNG.
  Status screenshot(Shell& shell, const std::filesystem::path& file, int frames = 3);

 private:
  SdlHost() = default;
  void rebuild_style(Shell& shell);
  void render(Shell& shell);
  /// Puts the last frame on screen: the window's, or the canvas in the browser.
  void present();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  float scale_ = 1.0f;
  int frames_to_draw_ = 1;
  /// The minute of the last tick (set when the host opens).
  std::chrono::sys_time<std::chrono::minutes> last_tick_ =
      std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());
};

}  // namespace aftercare::ui
