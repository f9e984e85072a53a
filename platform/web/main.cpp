// aftercare in the browser: the phone app's screens on a canvas, for Android and iPhone. The
// data directory is /data, an IndexedDB file system (IDBFS) read in before the app opens and
// written out after every change; a change is confirmed only once that write has finished.
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "services/start_up.h"
#include "ui/sdl_host.h"
#include "ui/shell.h"
#include "ui/widgets.h"

namespace aftercare::web {

namespace {

// The zone the browser is in, asked again every time (the patient travels with the phone).
// clang-format off
EM_JS(char*, browser_zone, (), {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
  }
  return stringToNewUTF8(zone);
});
// clang-format on

class BrowserZone final : public DeviceZone {
 public:
  std::optional<std::string> current() const override {
    char* zone = browser_zone();
    std::string name = zone ? zone : "";
    std::free(zone);
    if (name.empty()) return std::nullopt;
    return name;
  }
};

// FS.syncfs(false) writes to IndexedDB each file of /data whose time stamp differs from the one
// stored. A file's own stamp (Date.now() at its last write) can fail that: written twice within
// one millisecond, or with the clock set back, it can come out equal to the stamp stored. So the
// page gives each file a stamp of its own from a counter far beyond any real date (from 4e15 ms,
// year 128,000; dates end at 8.64e15), records it (Module.aftercareStamps, filled in when /data is
// read in), and a file whose stamp is not the one recorded has changed: it gets the next one. The
// record is updated only when the sync succeeds. One sync runs at a time; changes made while one
// runs go with the next.
// clang-format off
EM_JS(void, start_sync, (), {
  const given = Module.aftercareStamps;
  const stamped = new Map();
  Module.aftercareEachFile(function(path, stat) {
    if (given.get(path) !== stat.mtime.getTime()) {
      const stamp = Module.aftercareNextStamp++;
      FS.utime(path, stamp, stamp);
      stamped.set(path, stamp);
    }
  });
  FS.syncfs(false, function(error) {
    if (!error) stamped.forEach(function(stamp, path) { given.set(path, stamp); });
    Module.ccall('aftercare_synced', null, ['string'], [error ? String(error) : ""]);
  });
});
// clang-format on

class IndexedDbPersistence final : public ui::Persistence {
 public:
  void persist(std::function<void(const Status&)> done) override {
    waiting_.push_back(std::move(done));
    if (!syncing_) start();
  }

  void synced(const std::string& error) {
    syncing_ = false;
    const Status status =
        error.empty()
            ? Status()
            : Status(Error(ErrorCode::kIo, "the browser's storage refused it (" + error + ")."));
    for (auto& done : held_) done(status);
    held_.clear();
    if (!waiting_.empty()) start();
  }

 private:
  void start() {
    held_ = std::move(waiting_);
    waiting_.clear();
    syncing_ = true;
    start_sync();
  }

  bool syncing_ = false;
  std::vector<std::function<void(const Status&)>> waiting_, held_;
};

// The app's area: the viewport less the safe-area insets (index.html's #screen).
// clang-format off
EM_JS(int, viewport_width, (), { return document.getElementById('screen').clientWidth; });
EM_JS(int, viewport_height, (), { return document.getElementById('screen').clientHeight; });
EM_JS(void, set_keyboard, (bool wanted), { Module.setKeyboard(wanted); });
EM_JS(void, show_failure, (const char* message), {
  document.body.dataset.state = 'failed';
  document.getElementById('status').textContent = UTF8ToString(message);
});
// clang-format on
// An export, from the app's storage to the phone's downloads (the browser's own save).
// clang-format off
EM_JS(void, download_file, (const char* path), {
  const file = UTF8ToString(path);
  const name = file.split('/').pop();
  const type = name.endsWith('.csv') ? 'text/csv' : name.endsWith('.ics') ? 'text/calendar'
             : name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  const blob = new Blob([FS.readFile(file)], {type: type});
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(function() { URL.revokeObjectURL(link.href); }, 60000);
});
// The clinic's number, dialled by the phone (a tel: link of its digits, +, * and #).
EM_JS(void, dial_number, (const char* number), {
  const digits = UTF8ToString(number).replace(/[^0-9+*#]/g, "");
  if (digits) window.location.href = "tel:" + digits;
});
EM_JS(void, show_running, (), { document.body.dataset.state = 'running'; });
// clang-format on

// Everything the page keeps: allocated once and never freed (the page's life is the app's).
struct WebApp {
  BrowserZone zone;
  IndexedDbPersistence persistence;
  std::unique_ptr<platform::Session> session;
  std::unique_ptr<ui::SdlHost> host;
  std::unique_ptr<ui::Shell> shell;
  int width = 0, height = 0;
  bool keyboard = false;      ///< The soft keyboard's text area has focus.
  int release_backspace = 0;  ///< Frames until a Backspace from the soft keyboard is let go.
};

void push_key(Uint32 type, SDL_Scancode scancode) {
  SDL_Event event{};
  event.type = type;
  event.key.keysym.scancode = scancode;
  event.key.keysym.sym = SDL_GetKeyFromScancode(scancode);
  event.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
  SDL_PushEvent(&event);
}

WebApp* the_app = nullptr;

void frame(void*) {
  WebApp& app = *the_app;
  if (viewport_width() != app.width || viewport_height() != app.height) {
    app.width = viewport_width();
    app.height = viewport_height();
    if (Status resized = app.host->resize_frame(app.width, app.height); resized) {
      app.host->request_frame();
    }
  }
  app.host->turn(
      *app.shell, [&app] { app.shell->fire_due_reminders(); }, false);
  // ImGui 1.86 reads keys as held or not once a frame: a key from the soft keyboard is held
  // over two frames, then let go.
  if (app.release_backspace > 0 && --app.release_backspace == 0) {
    push_key(SDL_KEYUP, SDL_SCANCODE_BACKSPACE);
  }
  if (const bool wanted = ImGui::GetIO().WantTextInput; wanted != app.keyboard) {
    app.keyboard = wanted;
    set_keyboard(wanted);
  }
}

void start(const std::string& load_error) {
  if (!load_error.empty()) {
    show_failure(("This browser's storage could not be read: " + load_error).c_str());
    return;
  }
  the_app = new WebApp();
  WebApp& app = *the_app;
  auto session = platform::Session::start({"/data", std::nullopt, std::nullopt, false}, app.zone);
  if (!session) return show_failure(session.error().message().c_str());
  app.session = std::move(*session);
  app.width = viewport_width();
  app.height = viewport_height();
  auto host = ui::SdlHost::open("aftercare", app.width, app.height, false);
  if (!host) return show_failure(host.error().message().c_str());
  app.host = std::move(*host);
  app.shell = std::make_unique<ui::Shell>(app.session->app(), nullptr, nullptr, ui::Layout::kPhone,
                                          app.host->display_scale(), "/data/exports");
  app.shell->set_persistence(&app.persistence);
  app.shell->set_export_delivery(
      [](const std::filesystem::path& file) { download_file(file.c_str()); });
  app.shell->set_dialer([](const std::string& number) { dial_number(number.c_str()); });
  app.shell->fire_due_reminders();
  show_running();
  emscripten_set_main_loop_arg(frame, nullptr, 0, false);
}

}  // namespace

}  // namespace aftercare::web

extern "C" {

EMSCRIPTEN_KEEPALIVE void aftercare_loaded(const char* error) { aftercare::web::start(error); }

EMSCRIPTEN_KEEPALIVE void aftercare_synced(const char* error) {
  if (!aftercare::web::the_app) return;
  aftercare::web::the_app->persistence.synced(error);
  aftercare::web::the_app->host->request_frame();
}

/// What the last frame showed, as JSON: the screen, the banner, and every control with its label
/// and its box in CSS pixels. The page's tests find controls by it; a screen-reader layer can
/// build on it. The caller frees the text.
EMSCRIPTEN_KEEPALIVE char* aftercare_describe() {
  using aftercare::web::the_app;
  nlohmann::json described = nlohmann::json::object();
  if (!the_app) return strdup(described.dump().c_str());
  const float scale = the_app->host->display_scale();
  const aftercare::ui::UiState& state = the_app->shell->state();
  described["screen"] = aftercare::ui::screen_name(state.screen);
  described["banner"] = state.banner;
  described["banner_is_error"] = state.banner_is_error;
  const aftercare::ui::PatientSnapshot& patient = the_app->shell->patient();
  described["zone"] = patient.device_zone;
  described["zone_database"] = patient.zone_database;
  described["has_plan"] = patient.plan != nullptr;
  nlohmann::json& entries = described["entries"] = nlohmann::json::array();
  if (patient.log) {
    for (const aftercare::SymptomEntry& entry : patient.log->entries) {
      entries.push_back({{"symptom", entry.report.symptom.value()},
                         {"severity", entry.report.severity},
                         {"note", entry.report.note}});
    }
  }
  nlohmann::json& controls = described["controls"] = nlohmann::json::array();
  for (const aftercare::ui::TouchTarget& target : aftercare::ui::touch_targets()) {
    controls.push_back({{"label", target.label},
                        {"x", target.min.x / scale},
                        {"y", target.min.y / scale},
                        {"width", (target.max.x - target.min.x) / scale},
                        {"height", (target.max.y - target.min.y) / scale},
                        {"text_field", target.text_field}});
  }
  return strdup(described.dump().c_str());
}

/// Whether a tap at (`x`, `y`) CSS pixels lands on a text field of the last frame: the page then
/// focuses its text area within the tap's own handler, which iOS needs to open the keyboard.
EMSCRIPTEN_KEEPALIVE int aftercare_text_field_at(double x, double y) {
  if (!aftercare::web::the_app) return 0;
  const double scale = aftercare::web::the_app->host->display_scale();
  for (const aftercare::ui::TouchTarget& target : aftercare::ui::touch_targets()) {
    if (target.text_field && x * scale >= target.min.x && x * scale < target.max.x &&
        y * scale >= target.min.y && y * scale < target.max.y) {
      return 1;
    }
  }
  return 0;
}

/// The page is shown again (the phone unlocked, the app brought back; perhaps in another zone):
/// the zone and the clock are read again, due reminders fire, and a frame is drawn.
EMSCRIPTEN_KEEPALIVE void aftercare_visible() {
  if (!aftercare::web::the_app) return;
  aftercare::web::the_app->shell->refresh();
  aftercare::web::the_app->shell->fire_due_reminders();
  aftercare::web::the_app->host->request_frame();
}

/// Text typed on the soft keyboard (or composed with an IME), for the focused text field.
EMSCRIPTEN_KEEPALIVE void aftercare_text(const char* text) {
  if (!aftercare::web::the_app) return;
  ImGui::GetIO().AddInputCharactersUTF8(text);
  aftercare::ui::SdlHost::wake();
}

/// A key the soft keyboard sends as an edit rather than a key event ("Backspace").
EMSCRIPTEN_KEEPALIVE void aftercare_key(const char* key) {
  if (!aftercare::web::the_app || std::string(key) != "Backspace") return;
  aftercare::web::push_key(SDL_KEYDOWN, SDL_SCANCODE_BACKSPACE);
  aftercare::web::the_app->release_backspace = 2;
}

}  // extern "C"

int main() {
  // /data from IndexedDB first; the app opens when it is in.
  // clang-format off
  EM_ASM({
    // Calls each(path, stat) for every file under /data (start_sync uses it too).
    Module.aftercareEachFile = function(each) {
      const visit = function(path) {
        for (const name of FS.readdir(path)) {
          if (name === '.' || name === '..') continue;
          const child = path + '/' + name;
          const stat = FS.stat(child);
          if (FS.isDir(stat.mode)) {
            visit(child);
          } else {
            each(child, stat);
          }
        }
      };
      visit('/data');
    };
    FS.mkdir('/data');
    FS.mount(IDBFS, {}, '/data');
    FS.syncfs(true, function(error) {
      // What IndexedDB holds now: each file's stamp, and the counter past the largest.
      Module.aftercareStamps = new Map();
      Module.aftercareNextStamp = 4e15;
      if (!error) {
        Module.aftercareEachFile(function(path, stat) {
          const stamp = stat.mtime.getTime();
          Module.aftercareStamps.set(path, stamp);
          Module.aftercareNextStamp = Math.max(Module.aftercareNextStamp, stamp + 1);
        });
      }
      Module.ccall('aftercare_loaded', null, ['string'], [error ? String(error) : ""]);
    });
  });
  // clang-format on
  return 0;
}
