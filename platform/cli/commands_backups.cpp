// `aftercare backup` and `aftercare restore`.
#include "commands.h"
#include "services/system_paths.h"

namespace aftercare::cli {

namespace {
using Json = nlohmann::ordered_json;
}  // namespace

int backup(Context& context) {
  auto file = context.app.back_up();
  if (!file) return report(file.error(), context.err);
  if (context.args.global.json) {
    print_json(context.out, Json{{"backup", file->string()}});
  } else {
    context.out << "Backed up to " << file->string() << "\n";
  }
  return kExitOk;
}

int restore(const Arguments& args, std::ostream& out, std::ostream& err) {
  const std::filesystem::path data_dir = args.global.data_dir
                                             ? std::filesystem::path(*args.global.data_dir)
                                             : platform::default_data_dir();
  if (data_dir.empty()) {
    return report(invalid_input("no data directory: set --data-dir, XDG_DATA_HOME or HOME"), err);
  }
  // Never opens the current database: restoring is the way out when it is damaged.
  if (args.words.size() == 1) {
    auto all = PatientBackups::list(data_dir);
    if (!all) return report(all.error(), err);
    if (args.global.json) {
      Json list = Json::array();
      for (const auto& b : *all) {
        list.push_back({{"file", b.file.string()},
                        {"taken_at", format_iso(b.taken_at, date::locate_zone("UTC"))},
                        {"bytes", b.bytes}});
      }
      print_json(out, Json{{"backups", list}});
      return kExitOk;
    }
    if (all->empty()) {
      out << "No backups yet in " << (data_dir / PatientBackups::kDir).string() << ".\n";
      return kExitOk;
    }
    out << "Backups, newest first (restore one with `aftercare restore FILE`):\n";
    for (const auto& b : *all) {
      out << "  " << b.file.string() << "  " << format_iso(b.taken_at, date::locate_zone("UTC"))
          << "  " << b.bytes / 1024 << " KiB\n";
    }
    return kExitOk;
  }
  if (args.words.size() != 2) return report(invalid_input("restore: give one backup FILE"), err);
  const Instant now = date::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto aside = PatientBackups::restore(data_dir, data_dir / App::kDatabaseFile, args.words[1], now);
  if (!aside) return report(aside.error(), err);
  if (args.global.json) {
    print_json(out, Json{{"restored", args.words[1]},
                         {"previous", aside->empty() ? Json() : Json(aside->string())}});
  } else if (aside->empty()) {
    out << "Restored " << args.words[1] << " (there was no database to replace).\n";
  } else {
    out << "Restored " << args.words[1] << ". The database it replaced is kept as "
        << aside->string() << ".\n";
  }
  return kExitOk;
}

}  // namespace aftercare::cli
