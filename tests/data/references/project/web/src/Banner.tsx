import { isOn } from '../flags';

export function Banner() {
  return isOn('fflag_in_tsx') ? <b>new</b> : null;
}
