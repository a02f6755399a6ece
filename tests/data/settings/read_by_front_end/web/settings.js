// the UI reads the settings object the API hands it, by field name
export function banner(settings) {
  return settings.legacy_ui ? "old" : "new";
}
