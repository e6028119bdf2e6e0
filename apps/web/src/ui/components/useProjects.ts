/** Project titles by id, live, for rows and pickers. */
import type { NodeView } from '@heph/oplog';
import { useMemo } from 'react';
import { useLiveQuery } from '../../client/react.ts';

export function useProjects(): { projects: NodeView[]; titles: Map<string, string> } {
  const { data } = useLiveQuery((client) => client.query('listProjects'), []);
  return useMemo(() => {
    const projects = (data ?? []).filter((project) => !project.deleted);
    return { projects, titles: new Map(projects.map((project) => [project.id, project.title])) };
  }, [data]);
}
