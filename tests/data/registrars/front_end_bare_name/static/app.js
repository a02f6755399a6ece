export const show = (org) => org.features.includes("old-export");
export const rules = (org) => org.features.includes("alert-rules");
