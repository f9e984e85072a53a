#include "ui/shell.h"

#include "ui/today_view.h"
#include "ui/widgets.h"

namespace aftercare::ui {

Shell::Shell(App& app, float display_scale)
    : app_(app),
      display_scale_(display_scale),
      strings_(state_.language),
      theme_(make_theme(display_scale, state_.large_text)) {
  refresh();
}

bool Shell::take_style_change() {
  const bool changed = style_changed_;
  style_changed_ = false;
  return changed;
}

void Shell::refresh() {
  if (strings_.language() != state_.language) strings_ = Strings(state_.language);
  const Theme wanted = make_theme(display_scale_, state_.large_text);
  if (wanted.scale != theme_.scale) {
    theme_ = wanted;
    style_changed_ = true;
  }
  auto today = app_.today();
  if (!today) {
    // No plan yet is not an error: the Today screen says how to start one.
    today_ = TodayModel{};
    if (today.error().code() != ErrorCode::kNotFound) {
      state_.banner = today.error().message();
      state_.banner_is_error = true;
    }
    return;
  }
  auto log = app_.symptom_log();
  const Assessment now = log ? log->now : Assessment{};
  today_ = make_today_model(*today, now, strings_, state_.clock_24h);
}

void Shell::apply(const TodayAction& action) {
  Status status;
  switch (action.kind) {
    case TodayAction::Kind::kNone:
    case TodayAction::Kind::kLogSymptom:
      return;
    case TodayAction::Kind::kDone:
    case TodayAction::Kind::kSkip: {
      auto changed = app_.check_off(
          StepId(action.step),
          action.kind == TodayAction::Kind::kDone ? StepAction::kDone : StepAction::kSkipped,
          action.occurrence);
      if (!changed) status = changed.error();
      break;
    }
    case TodayAction::Kind::kUndo: {
      auto changed = app_.undo();
      if (!changed) status = changed.error();
      break;
    }
  }
  if (!status) {
    state_.banner = status.error().message();
    state_.banner_is_error = true;
  } else {
    state_.banner.clear();
  }
  refresh();
}

void Shell::frame(float width, float height) {
  begin_touch_frame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGui::Begin("aftercare", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (!state_.banner.empty()) {
    begin_card(theme_, "banner");
    text_wrapped(state_.banner_is_error ? theme_.urgent : theme_.accent, state_.banner);
    end_card(theme_);
  }
  const TodayAction action = draw_today(today_, theme_, strings_);
  ImGui::End();
  apply(action);
}

}  // namespace aftercare::ui
