import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { parseList } from './tools-rule-links.js';

/**
 * A text input for a comma-separated list (tags, keywords): the text stays as typed while the
 * list it means is passed up, so a trailing comma does not vanish under the cursor.
 */
export function ListInput({
  value,
  onChange,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  value: readonly string[];
  onChange: (value: string[]) => void;
}) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => {
    setText((current) =>
      parseList(current).join('\u0000') === value.join('\u0000') ? current : value.join(', '),
    );
  }, [value]);
  return (
    <input
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseList(e.target.value));
      }}
    />
  );
}
