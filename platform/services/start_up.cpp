#include "services/start_up.h"

#include "services/system_paths.h"

namespace aftercare::platform {

Result<std::unique_ptr<Session>> Session::start(const StartOptions& options,
                                                const DeviceZone& system_zone) {
  std::unique_ptr<Session> session(new Session());
  session->data_dir_ =
      options.data_dir ? std::filesystem::path(*options.data_dir) : default_data_dir();
  if (session->data_dir_.empty()) {
    return invalid_input("no data directory: set --data-dir, XDG_DATA_HOME or HOME");
  }
  if (options.zone) {
    if (auto zone = locate_zone(*options.zone); !zone) return zone.error().with_context("--zone");
    session->given_zone_.emplace(options.zone);
  }
  const DeviceZone& device_zone =
      session->given_zone_ ? static_cast<const DeviceZone&>(*session->given_zone_) : system_zone;
  if (options.pinned || options.at) {
    session->clock_ = &session->pinned_.emplace(session->system_clock_.now());
  } else {
    session->clock_ = &session->system_clock_;
  }
  auto app = App::open(session->data_dir_, *session->clock_, device_zone);
  if (!app) return app.error();
  session->app_ = std::move(*app);
  if (options.at) {
    // Read in the zone the app is in, which may be the patient's last one (a machine set to UTC).
    auto at = session->app_->parse_time(*options.at);
    if (!at) return at.error().with_context("--at");
    session->pinned_->set(*at);
  }
  return session;
}

}  // namespace aftercare::platform
