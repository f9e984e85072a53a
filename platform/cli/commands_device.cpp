// The device's signing key, hand-overs to a new phone, and checking an export file.
#include "app/private_file.h"
#include "base/files.h"
#include "commands.h"

namespace aftercare::cli {

namespace {

using Json = nlohmann::ordered_json;

Json hand_over_json(const HandOver& h, const App& app) {
  return {{"patient", h.patient}, {"from", h.from}, {"to", h.to}, {"at", app.format_time(h.at)}};
}

int device_show(Context& context) {
  auto info = context.app.device();
  if (!info) return report(info.error(), context.err);
  if (context.args.global.json) {
    Json hand_overs = Json::array();
    for (const auto& h : info->hand_overs) hand_overs.push_back(hand_over_json(h, context.app));
    print_json(context.out,
               {{"device", info->key}, {"patient", info->patient}, {"hand_overs", hand_overs}});
    return kExitOk;
  }
  context.out << "This device's key: " << info->key << "\n"
              << "It signs every export of " << info->patient
              << "; a clinic trusts the first key it sees for you.\n";
  for (const auto& h : info->hand_overs) {
    context.out << "Handed over from " << h.from.substr(0, 16) << "... on "
                << context.app.format_time(h.at) << "\n";
  }
  return kExitOk;
}

int device_hand_over(Context& context) {
  const auto to = context.args.option("--to");
  const auto out = context.args.option("--out");
  if (!to) {
    return report(invalid_input("device hand-over: give --to KEY (`aftercare device` on the new "
                                "phone prints it)"),
                  context.err);
  }
  if (!out) return report(invalid_input("device hand-over: give --out FILE"), context.err);
  auto hand_over = context.app.hand_over_to(*to);
  if (!hand_over) return report(hand_over.error().with_context("--to"), context.err);
  if (auto written = write_private_file(*out, write_hand_over(*hand_over)); !written) {
    return report(written.error(), context.err);
  }
  if (context.args.global.json) {
    Json doc = hand_over_json(*hand_over, context.app);
    doc["file"] = *out;
    print_json(context.out, doc);
  } else {
    context.out << "Wrote " << *out << ": " << hand_over->patient << " handed over to device "
                << hand_over->to.substr(0, 16) << "...\nOn the new phone: aftercare device accept "
                << *out << "\n";
  }
  return kExitOk;
}

int device_accept(Context& context) {
  auto hand_over = context.app.accept_hand_over(context.args.words.back());
  if (!hand_over) return report(hand_over.error(), context.err);
  if (context.args.global.json) {
    print_json(context.out, hand_over_json(*hand_over, context.app));
  } else {
    context.out << "Accepted: this device's exports of " << hand_over->patient
                << " now carry the hand-over from device " << hand_over->from.substr(0, 16)
                << "...\n";
  }
  return kExitOk;
}

int verify_file(Context& context) {
  const std::string file = context.args.words.back();
  auto check = context.app.verify_export(file);
  // A file that cannot be read is an error like any other; one that fails the check is the
  // check's answer (exit 1, as `verify` of the log).
  if (!check && check.error().code() != ErrorCode::kInvalidInput) {
    return report(check.error(), context.err);
  }
  if (!check) {
    if (context.args.global.json) {
      print_json(context.out,
                 {{"ok", false}, {"file", file}, {"problem", check.error().message()}});
    }
    context.err << "aftercare: " << check.error().message() << "\n";
    return kExitFailure;
  }
  if (context.args.global.json) {
    print_json(context.out,
               {{"ok", !check->device.empty()},
                {"file", file},
                {"format", check->format},
                {"patient", check->patient},
                {"device", check->device.empty() ? Json(nullptr) : Json(check->device)},
                {"this_device", check->this_device},
                {"events", check->events}});
  } else if (!check->device.empty()) {
    context.out << file << ": matches its manifest; signed by device " << check->device
                << (check->this_device ? " (this device)" : " (another device)") << "\n";
    if (check->format == "json") {
      context.out << "Its log is complete and unaltered: " << check->events << " events.\n";
    }
  }
  if (check->device.empty()) {
    context.err << "aftercare: " << file
                << ": matches its manifest, but the manifest is not signed (written by an "
                   "aftercare before 0.2): nothing shows which device wrote it\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int device(Context& context, const std::string& sub) {
  if (sub == "hand-over") return device_hand_over(context);
  if (sub == "accept") return device_accept(context);
  return device_show(context);
}

int verify_export_file(Context& context) { return verify_file(context); }

}  // namespace aftercare::cli
