import { Select, TextField } from "@shopify/polaris";
import type { OscarChoiceList } from "../services/oscar-choices.server";

type Props = {
  /** The picker's label when Oscar listed the choices. */
  label: string;
  /** The field's label when the merchant types the id instead. */
  typedLabel: string;
  /** The form field's name (omit when the page builds its own form body). */
  name?: string;
  list: OscarChoiceList;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  /** A first option meaning "none", e.g. "Choose later"; without it one of the listed ids is always chosen. */
  noneLabel?: string;
  /** Under the picker, when there is a choice to make. */
  helpText?: string;
  placeholder?: string;
};

/**
 * One of the account's widgets, bots or agents: a Select when Oscar listed them, otherwise a typed
 * id under the sentence that says why Oscar did not. A saved id missing from the list still shows,
 * marked, so the form never silently changes what is stored.
 */
export function OscarIdPicker({ label, typedLabel, name, list, value, onChange, error, noneLabel, helpText, placeholder }: Props) {
  if (!list.listed) {
    return <TextField label={typedLabel} name={name} value={value} onChange={onChange} autoComplete="off" error={error} helpText={list.why} placeholder={placeholder} />;
  }
  const options = [
    ...(noneLabel !== undefined ? [{ label: noneLabel, value: "" }] : []),
    ...list.choices.map((choice) => ({ label: choice.label, value: choice.id })),
    ...(value && !list.choices.some((c) => c.id === value) ? [{ label: `${value} (not in your Oscar account)`, value }] : []),
  ];
  return <Select label={label} name={name} options={options} value={value} onChange={onChange} error={error} helpText={helpText} />;
}
