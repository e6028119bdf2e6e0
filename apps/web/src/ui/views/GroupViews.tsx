/** Inbox (no project), Projects (each with its tasks and a count) and Tags. */
import type { NodeView } from '@heph/oplog';
import { useLiveQuery } from '../../client/react.ts';
import { type ListItem, TaskList, taskItems } from '../components/TaskList.tsx';
import { ViewFrame } from './ViewFrame.tsx';

export function InboxView() {
  const query = useLiveQuery(
    (client) => client.query('listTasks', { state: 'outstanding', project: null }),
    [],
  );
  return (
    <ViewFrame
      title="Inbox"
      query={query}
      isEmpty={(tasks) => tasks.length === 0}
      empty="The inbox is empty: every task has a project."
      emptyTestId="inbox-empty"
    >
      {(tasks) => (
        <TaskList items={taskItems(tasks, Date.now())} label="Inbox" testId="inbox-list" />
      )}
    </ViewFrame>
  );
}

/** Sections of tasks under headers that carry each section's count. */
export function groupedItems(
  groups: ReadonlyArray<{ key: string; label: string; tasks: NodeView[] }>,
) {
  const now = Date.now();
  return groups.flatMap((group): ListItem[] => [
    { kind: 'header', key: `group-${group.key}`, label: group.label, count: group.tasks.length },
    ...taskItems(group.tasks, now).map((item) => ({ ...item, key: `${group.key}-${item.key}` })),
  ]);
}

export function ProjectsView() {
  const query = useLiveQuery(async (client) => {
    const [projects, tasks] = await Promise.all([
      client.query('listProjects'),
      client.query('listTasks', { state: 'outstanding' }),
    ]);
    const byProject = new Map<string, NodeView[]>();
    for (const task of tasks) {
      if (task.project === null) continue;
      byProject.set(task.project, [...(byProject.get(task.project) ?? []), task]);
    }
    const groups = projects
      .filter((project) => !project.deleted)
      .sort((a, b) => a.title.localeCompare(b.title))
      .map((project) => ({
        key: project.id,
        label: project.title,
        tasks: byProject.get(project.id) ?? [],
      }));
    return groupedItems(groups);
  }, []);
  return (
    <ViewFrame
      title="Projects"
      query={query}
      isEmpty={(items) => items.length === 0}
      empty="No projects yet. Type #name in a task to start one."
      emptyTestId="projects-empty"
    >
      {(items) => <TaskList items={items} label="Projects" testId="projects-list" />}
    </ViewFrame>
  );
}

export function TagsView() {
  const query = useLiveQuery(async (client) => {
    const tasks = await client.query('listTasks', { state: 'outstanding' });
    const byTag = new Map<string, NodeView[]>();
    for (const task of tasks) {
      for (const tag of task.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), task]);
    }
    const groups = [...byTag.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tag, tagged]) => ({ key: tag, label: `@${tag}`, tasks: tagged }));
    return groupedItems(groups);
  }, []);
  return (
    <ViewFrame
      title="Tags"
      query={query}
      isEmpty={(items) => items.length === 0}
      empty="No tags yet. Type @name in a task to tag it."
      emptyTestId="tags-empty"
    >
      {(items) => <TaskList items={items} label="Tags" testId="tags-list" />}
    </ViewFrame>
  );
}
