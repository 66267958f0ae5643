import { useState, type ReactNode } from 'react';
import './rules.css';

export interface OrderGroup<T> {
  /** The heading (a trigger category); null for a list without headings. */
  readonly title: string | null;
  readonly items: readonly T[];
}

/**
 * Where `id` goes when it moves one place up or down among the members of its group: before the
 * previous member, or after the next one, in the whole order. Null at the group's edge.
 */
export function moveWithinGroup(
  order: readonly string[],
  members: readonly string[],
  id: string,
  direction: -1 | 1,
): string[] | null {
  const at = members.indexOf(id);
  const other = members[at + direction];
  if (at < 0 || other === undefined) return null;
  return placeNear(order, id, other, direction === -1 ? 'before' : 'after');
}

/** The order with `id` taken out and put just before or after `target`. */
export function placeNear(
  order: readonly string[],
  id: string,
  target: string,
  where: 'before' | 'after',
): string[] {
  const rest = order.filter((x) => x !== id);
  const at = rest.indexOf(target);
  if (at < 0) return [...order];
  rest.splice(where === 'before' ? at : at + 1, 0, id);
  return rest;
}

/**
 * Rules in their evaluation order, grouped under headings: drag a row onto another of its group
 * (HTML5 drag and drop), or use its Move up / Move down buttons (keyboard). `onReorder` gets the
 * whole new order of ids.
 */
export function OrderedRules<T extends { readonly id: string; readonly name: string }>({
  groups,
  order,
  onReorder,
  busy,
  header,
  cells,
  testid,
}: {
  groups: readonly OrderGroup<T>[];
  order: readonly string[];
  onReorder: (ids: string[]) => void;
  busy: boolean;
  header: ReactNode;
  cells: (item: T) => ReactNode;
  testid: string;
}) {
  const [dragging, setDragging] = useState<{ id: string; group: number } | null>(null);
  const [over, setOver] = useState<string | null>(null);
  return (
    <div className="rule-order" data-testid={testid}>
      {groups.map((group, g) => {
        const members = group.items.map((i) => i.id);
        return (
          <section key={group.title ?? `group-${g}`} className="rule-order-group">
            {group.title !== null && (
              <h3 data-testid={`${testid}-category`}>
                {group.title} <span className="rule-count">({group.items.length})</span>
              </h3>
            )}
            <table>
              <thead>
                <tr>
                  <th scope="col" className="rule-order-col">
                    Order
                  </th>
                  {header}
                </tr>
              </thead>
              <tbody>
                {group.items.map((item, i) => (
                  <tr
                    key={item.id}
                    draggable={!busy}
                    data-testid={`${testid}-row`}
                    data-id={item.id}
                    className={[
                      dragging?.id === item.id ? 'rule-dragging' : '',
                      over === item.id && dragging?.id !== item.id ? 'rule-drop-target' : '',
                    ].join(' ')}
                    onDragStart={(e) => {
                      e.dataTransfer.effectAllowed = 'move';
                      e.dataTransfer.setData('text/plain', item.id);
                      setDragging({ id: item.id, group: g });
                    }}
                    onDragEnd={() => {
                      setDragging(null);
                      setOver(null);
                    }}
                    onDragOver={(e) => {
                      if (dragging?.group !== g) return;
                      e.preventDefault();
                      e.dataTransfer.dropEffect = 'move';
                      setOver(item.id);
                    }}
                    onDragLeave={() => setOver((o) => (o === item.id ? null : o))}
                    onDrop={(e) => {
                      e.preventDefault();
                      const moved = dragging?.id;
                      setDragging(null);
                      setOver(null);
                      if (!moved || moved === item.id || dragging?.group !== g) return;
                      const down = members.indexOf(moved) < members.indexOf(item.id);
                      onReorder(placeNear(order, moved, item.id, down ? 'after' : 'before'));
                    }}
                  >
                    <td className="rule-order-col">
                      <span className="rule-grip" aria-hidden="true">
                        ⠿
                      </span>
                      <button
                        type="button"
                        className="rule-move"
                        aria-label={`Move ${item.name} up`}
                        disabled={busy || i === 0}
                        data-testid={`${testid}-up`}
                        onClick={() => {
                          const next = moveWithinGroup(order, members, item.id, -1);
                          if (next) onReorder(next);
                        }}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        className="rule-move"
                        aria-label={`Move ${item.name} down`}
                        disabled={busy || i === group.items.length - 1}
                        data-testid={`${testid}-down`}
                        onClick={() => {
                          const next = moveWithinGroup(order, members, item.id, 1);
                          if (next) onReorder(next);
                        }}
                      >
                        ↓
                      </button>
                    </td>
                    {cells(item)}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
