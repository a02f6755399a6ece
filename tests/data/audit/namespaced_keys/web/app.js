export function Page({organization}) {
  if (organization.features.includes('profiling-beta')) { return 'beta'; }
  if (organization.features.includes('sso')) { return 'sso'; }
  return null;
}
