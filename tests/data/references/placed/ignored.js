isOn('fflag_only_ignored');
