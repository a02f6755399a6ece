// none of these mentions the short key as a whole token
const a = 'fflag_x_y';
const b = $fflag_x;
const c = 'my-fflag_x';
const d = 'fflag_x-old';
const k = 'org:beta.ui';
