import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";

type Result = { ok: boolean; message: string } | undefined;

/** Confirms a form's outcome with an App Bridge toast, once per answer. */
export function useResultToast(result: Result) {
  const shopify = useAppBridge();
  useEffect(() => {
    if (result?.message) shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);
}
